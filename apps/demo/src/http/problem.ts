/** An error answered as RFC 9457 problem+json. Throw it from a route. */
export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  readonly extra: Record<string, unknown>;

  constructor(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.extra = extra;
  }

  /** The problem document (`type` is `about:blank`: the status says it all). */
  toJSON(instance: string): Record<string, unknown> {
    return { type: 'about:blank', title: this.title, status: this.status, detail: this.message, instance, ...this.extra };
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) => new Problem(400, 'Bad Request', detail, extra);
export const notFound = (detail: string) => new Problem(404, 'Not Found', detail);
export const conflict = (detail: string) => new Problem(409, 'Conflict', detail);
export const unprocessable = (detail: string) => new Problem(422, 'Unprocessable Content', detail);

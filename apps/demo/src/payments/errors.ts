/** The provider refused the charge for good (declined card, bad request): retrying cannot help. */
export class PaymentRejected extends Error {
  override name = 'PaymentRejected';
  readonly status: number;

  constructor(status: number, detail: string) {
    super(`the payment provider refused the charge (${status}): ${detail}`);
    this.status = status;
  }
}

/** The provider could not be reached or failed (after the client's retries, or with its breaker open): try later. */
export class PaymentUnavailable extends Error {
  override name = 'PaymentUnavailable';
}

/** One attempt's failure, before the retry policy judges it. */
export class AttemptFailed extends Error {
  override name = 'AttemptFailed';
  /** The HTTP status, undefined for a network failure or a timeout. */
  readonly status: number | undefined;
  /** The provider's Retry-After, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

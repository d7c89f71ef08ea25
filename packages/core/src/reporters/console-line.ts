import type { Result, Status } from '../protocol/types.ts';
import type { Palette } from './ansi.ts';
import { formatDuration, oneLine } from './text.ts';

/** `PASS `, `ERROR`: status labels, all five characters wide. */
export const STATUS_LABEL: Record<Status, string> = { pass: 'PASS ', fail: 'FAIL ', warn: 'WARN ', skip: 'SKIP ', error: 'ERROR' };

/** Where continuation lines start: under the check id. */
export const INDENT = '       ';

const GAP = '   ';

/** Formats one finished check per line in aligned columns. */
export interface LineFormatter {
  /**
   * `PASS   db.connection.connectivity   orders-db   12 ms   connected to PostgreSQL 15.19 in 3 ms`.
   * Given a width (a terminal's), a summary that would overflow it goes on an indented second line.
   */
  format(result: Result, width?: number): string;
}

/**
 * A line formatter whose id and target columns widen (never narrow) to the
 * longest value seen so far, within limits, so lines stay aligned while
 * streaming without knowing every check in advance.
 */
export function createLineFormatter(palette: Palette, limits = { id: 40, target: 16 }): LineFormatter {
  let idWidth = 28;
  let targetWidth = 10;
  return {
    format(result, width) {
      const id = oneLine(result.id);
      const target = oneLine(result.target.name);
      if (id.length > idWidth) idWidth = Math.min(limits.id, id.length);
      if (target.length > targetWidth) targetWidth = Math.min(limits.target, target.length);
      const columns = `${id.padEnd(idWidth)}${GAP}${target.padEnd(targetWidth)}${GAP}${formatDuration(result.durationMs).padStart(7)}${GAP}`;
      const summary = oneLine(result.summary);
      const head = `${palette.status(result.status, STATUS_LABEL[result.status])}  ${columns}`;
      if (width !== undefined && STATUS_LABEL.pass.length + 2 + columns.length + summary.length > width) {
        return `${head.trimEnd()}\n${INDENT}${summary}`;
      }
      return head + summary;
    },
  };
}

import type { Status } from '../protocol/types.ts';

/** Return to column 0 and erase the line: how the live status line is rewritten in place. */
export const CLEAR_LINE = '\r\u001b[2K';

/** Colour functions; all identity when colour is off. */
export interface Palette {
  status(status: Status, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const STATUS_COLOR: Record<Status, number> = { pass: 32, fail: 31, warn: 33, skip: 36, error: 35 };

const paint = (code: number, text: string) => `\u001b[${code}m${text}\u001b[0m`;

/** A palette that colours with ANSI SGR codes, or a plain one. */
export function createPalette(color: boolean): Palette {
  if (!color) return { status: (_status, text) => text, bold: (text) => text, dim: (text) => text };
  return {
    status: (status, text) => paint(STATUS_COLOR[status], text),
    bold: (text) => paint(1, text),
    dim: (text) => paint(2, text),
  };
}

/**
 * Whether to colour: an explicit choice wins; then `NO_COLOR` (any non-empty
 * value) turns colour off and `FORCE_COLOR` (anything but `0`/`false`) turns it
 * on; otherwise colour follows live mode.
 */
export function colorEnabled(live: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return live;
}

/** Small text helpers shared by the human-readable reporters. */

/** Human duration: `0.4 ms`, `12 ms`, `1.42 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? ms';
  if (ms < 10) return `${(Math.round(ms * 10) / 10).toString()} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

// C0 controls except \t and \n, DEL, C1 controls (ESC starts terminal escape sequences).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Make text from a target safe to print on a terminal: control characters
 * (ESC, BEL, backspace, …) become visible `\xNN` escapes, so a value read from
 * a system under test can never move the cursor or recolour the screen.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line: newlines and tabs become spaces, control characters are escaped. */
export function oneLine(text: string): string {
  return printable(text.replace(/[\r\n\t]+/g, ' '));
}

/** Cut text to `width` characters, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** `1 check`, `2 checks`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** A result's evidence in the HTML report: reproduction commands pulled out, then the JSON, collapsed when long. */
import { escapeHtml } from './html-escape.ts';
import { toJson } from './json.ts';

/** How evidence is shown. */
export interface EvidenceLimits {
  /** Evidence longer than this many lines of pretty JSON is collapsed behind a preview. */
  collapseAfterLines: number;
  /** Evidence JSON past this many characters is cut (the NDJSON keeps all of it). */
  maxChars: number;
}

/** Lines of a collapsed evidence's preview. */
const PREVIEW_LINES = 12;

const REPRO_KEY = /^(repro|reproduce|reproduction|repro_?command|reproduce_?command|curl)s?$/i;

/** A one-paste reproduction found in evidence: where it was (`repro`, `request.reproduce`) and the command. */
export interface Reproduction {
  path: string;
  command: string;
}

/**
 * The reproduction commands in evidence: string (or string array) values of
 * keys named `repro`, `reproduce`, `reproduction`, `curl` (…), at the top level
 * or one object down.
 */
export function reproductionsOf(evidence: Record<string, unknown>): Reproduction[] {
  const found: Reproduction[] = [];
  const visit = (object: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, value] of Object.entries(object)) {
      const path = `${prefix}${key}`;
      if (REPRO_KEY.test(key)) {
        const commands = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
        for (const command of commands) if (command.trim() !== '') found.push({ path, command });
      } else if (depth === 0 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        visit(value as Record<string, unknown>, `${path}.`, 1);
      }
    }
  };
  visit(evidence, '', 0);
  return found;
}

/** The reproduction commands as copyable blocks, or nothing. */
export function reproductionsHtml(evidence: Record<string, unknown>): string {
  const found = reproductionsOf(evidence);
  if (found.length === 0) return '';
  const blocks = found.map((entry) => `<figure class="repro"><figcaption><code>${escapeHtml(entry.path)}</code></figcaption><pre><code>${escapeHtml(entry.command)}</code></pre></figure>`);
  return `<div class="repros"><h4>Reproduce</h4>${blocks.join('')}</div>`;
}

/**
 * Evidence as pretty JSON in a `<pre>`: in full when short; otherwise a preview
 * of its first lines and the whole behind a `<details>` (opened for printing by
 * the report's script). `collapsed` always hides it behind a `<details>`.
 */
export function evidenceHtml(evidence: Record<string, unknown>, limits: EvidenceLimits, collapsed = false): string {
  if (Object.keys(evidence).length === 0) return '';
  let json = toJson(evidence, 2);
  let note = '';
  if (json.length > limits.maxChars) {
    note = `\n… ${json.length - limits.maxChars} more characters cut (the NDJSON of the run has all of it)`;
    json = json.slice(0, limits.maxChars);
  }
  const lines = json.split('\n');
  const full = `<pre class="json">${escapeHtml(json + note)}</pre>`;
  if (collapsed) return `<details class="evidence"><summary>Evidence (${lines.length} lines)</summary>${full}</details>`;
  if (lines.length <= limits.collapseAfterLines) return `<div class="evidence"><h4>Evidence</h4>${full}</div>`;
  const preview = `<pre class="json preview">${escapeHtml(`${lines.slice(0, PREVIEW_LINES).join('\n')}\n…`)}</pre>`;
  return `<div class="evidence"><h4>Evidence</h4>${preview}<details class="evidence-all"><summary>All ${lines.length} lines</summary>${full}</details></div>`;
}

import type { Check, PlannedProbe, Redactor } from '@probe/core';
import { flagOption, stringOption } from '../args/option-values.ts';
import { loadConfig } from '../config/load-config.ts';
import type { CommandHandler } from '../main.ts';
import { planSelection, selectionOf } from './selection.ts';

/** One line of `probe list --json`. */
export interface ListedCheck {
  target: { kind: string; name: string; url?: string };
  id: string;
  title: string;
  writes: boolean;
  slow: boolean;
  parallel: boolean;
  needs: string[];
  checklist: string[];
  timeoutMs?: number;
  /** Set under `--read-only` for checks that would be skipped. */
  skipped?: string;
}

/** `probe list`: the checks a run with the same selection would execute, without running anything. */
export const listCommand: CommandHandler = async (args, io) => {
  const selection = selectionOf(args);
  const loaded = await loadConfig(stringOption(args, 'config'), io);
  const plan = planSelection(loaded.config, selection);
  const checks = listChecks(plan, loaded.redact, flagOption(args, 'read-only'));
  if (flagOption(args, 'json')) {
    io.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
    return 0;
  }
  const shard = selection.shard ? `${selection.shard.index}/${selection.shard.total}` : undefined;
  io.stdout.write(renderList(checks, plan.length, shard, flagOption(args, 'read-only')));
  return 0;
};

/** The planned checks as plain data, target URLs redacted. */
export function listChecks(plan: readonly PlannedProbe[], redact: Redactor, readOnly: boolean): ListedCheck[] {
  return plan.flatMap(({ probe, checks }) => checks.map((check: Check) => ({
    target: { kind: probe.target.kind, name: probe.target.name, ...(probe.target.url ? { url: redact(probe.target.url) } : {}) },
    id: check.id,
    title: check.title,
    writes: check.writes === true,
    slow: check.slow === true,
    parallel: check.parallel === true,
    needs: [...(check.needs ?? [])],
    checklist: [...(check.checklist ?? [])],
    ...(check.timeoutMs !== undefined ? { timeoutMs: check.timeoutMs } : {}),
    ...(readOnly && check.writes ? { skipped: 'read-only' } : {}),
  })));
}

/** Grouped by target: id, title, flags, then the checklist items. */
export function renderList(checks: readonly ListedCheck[], targets: number, shard: string | undefined, readOnly = false): string {
  const lines: string[] = [];
  const idWidth = Math.max(0, ...checks.map((check) => check.id.length)) + 2;
  let current: string | undefined;
  for (const check of checks) {
    if (check.target.name !== current) {
      current = check.target.name;
      lines.push(`${lines.length ? '\n' : ''}${check.target.name} (${check.target.kind}${check.target.url ? `, ${check.target.url}` : ''})`);
    }
    const flags = [check.writes && (check.skipped ? 'writes: skipped under --read-only' : 'writes'), check.slow && 'slow', check.parallel && 'parallel']
      .filter(Boolean).map((flag) => `[${flag}]`).join(' ');
    lines.push(`  ${check.id.padEnd(idWidth)}${check.title}${flags ? `  ${flags}` : ''}`);
    if (check.needs.length) lines.push(`  ${''.padEnd(idWidth)}needs: ${check.needs.join(', ')}`);
    if (check.checklist.length) lines.push(`  ${''.padEnd(idWidth)}checklist: ${check.checklist.join(', ')}`);
  }
  const writes = checks.filter((check) => check.writes).length;
  const footer = `${checks.length} check${checks.length === 1 ? '' : 's'} on ${targets} target${targets === 1 ? '' : 's'}`
    + `${shard ? ` (shard ${shard})` : ''}${writes ? `; ${writes} writing check${writes === 1 ? '' : 's'} ${readOnly ? 'skipped under --read-only' : '(--read-only skips them)'}` : ''}`;
  lines.push(`${lines.length ? '\n' : ''}${footer}`);
  return `${lines.join('\n')}\n`;
}

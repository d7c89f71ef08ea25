import type { ShardSpec } from '@probe/core';
import { CliError } from '../cli-error.ts';
import type { ParsedArgs } from './parse-command-args.ts';

/** A string option's value (the last one when given twice). */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable option's values; `--only a,b` and `--only a --only b` both work (the engine splits commas). */
export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** A boolean flag. */
export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** `--timeout 5000` → 5000; anything but a positive whole number is an error naming the flag. */
export function parseMilliseconds(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new CliError(`${flag}: expected a positive number of milliseconds, got "${raw}"`);
  return value;
}

/** `--concurrency 4` → 4. */
export function parsePositiveInteger(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new CliError(`${flag}: expected a positive whole number, got "${raw}"`);
  return value;
}

/** `--shard 2/4` → `{ index: 2, total: 4 }`. */
export function parseShard(flag: string, raw: string | undefined): ShardSpec | undefined {
  if (raw === undefined) return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || index < 1 || total < 1 || index > total) throw new CliError(`${flag}: expected I/N with 1 ≤ I ≤ N, got "${raw}"`);
  return { index, total };
}

/** A value that must be one of a few words. */
export function parseChoice<T extends string>(flag: string, raw: string | undefined, choices: readonly T[], fallback?: T): T | undefined {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new CliError(`${flag}: expected one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

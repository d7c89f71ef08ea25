import { isAbsolute, relative } from 'node:path';
import { configIssues, createRedactor, formatIssues, secretsOfUrl, type Config, type ConfigIssue, type Redactor } from '@probe/core';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { findConfigFile } from './find-config-file.ts';
import { importConfigModule } from './import-config-module.ts';
import { readJsonConfig } from './read-json-config.ts';
import { secretEnvValues } from './secret-env.ts';

/** A config that loaded and validated, ready to run. */
export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file. */
  file: string;
  /** The file as messages show it (relative to the working directory when inside it). */
  shownAs: string;
  /** Secret values to hand to the run, besides the config's own (`${VAR}`s of secret-looking variables in a JSON config). */
  secrets: string[];
  /** Redacts everything known to be secret: the config's secrets, URL passwords, interpolated secrets. */
  redact: Redactor;
}

/**
 * Find, load and validate the config. Any problem is a {@link CliError} (exit 2)
 * whose lines name the file or the field (`probes[2].url: expected …`); nothing
 * runs. Messages are redacted: load errors also with the values of every
 * secret-looking environment variable, since a throwing config may quote them.
 */
export async function loadConfig(explicit: string | undefined, io: CliIo): Promise<LoadedConfig> {
  const file = findConfigFile(io.cwd, explicit);
  const fromCwd = relative(io.cwd, file);
  const shownAs = fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file;
  const loadRedact = createRedactor(secretEnvValues(io.env));
  let config: unknown;
  let secrets: string[] = [];
  const issues: ConfigIssue[] = [];
  if (file.endsWith('.json')) {
    const json = await readJsonConfig(file, shownAs, io.env);
    config = json.config;
    secrets = json.secrets;
    issues.push(...json.issues);
  } else {
    config = await importConfigModule(file, shownAs, loadRedact);
  }
  // Unresolved JSON entries would only add noise to the schema's issues: report the JSON's own first.
  if (issues.length === 0) issues.push(...configIssues(config));
  const redact = createRedactor([...secrets, ...knownSecrets(config)]);
  if (issues.length > 0) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = formatIssues(dedupe(issues)).split('\n').map((line) => `  ${line}`).join('\n');
    throw new CliError(redact(`invalid config ${shownAs} (${count}); nothing was run:\n${lines}`));
  }
  return { config: config as Config, file, shownAs, secrets, redact };
}

/** The config's declared secrets, its probes' secrets and the passwords in its target URLs, tolerating a malformed config. */
function knownSecrets(config: unknown): string[] {
  const out: string[] = [];
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  const top = config as { secrets?: unknown; probes?: unknown } | null;
  out.push(...strings(top?.secrets));
  if (Array.isArray(top?.probes)) {
    for (const probe of top.probes as { secrets?: unknown; target?: { url?: unknown } }[]) {
      out.push(...strings(probe?.secrets));
      if (typeof probe?.target?.url === 'string') out.push(...secretsOfUrl(probe.target.url));
    }
  }
  return out;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

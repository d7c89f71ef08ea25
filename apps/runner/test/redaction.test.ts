import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, type CliRun } from './cli-process.ts';
import { tempDir } from './temp-dir.ts';

const PASSWORD = 'CANARY_pw_9f3';
const TOKEN = 'CANARY_tok_7c1';

it('canary password and token never appear in any output of any command', async (context) => {
  const out = tempDir(context);
  const env = { CANARY_API_TOKEN: TOKEN };
  const file = (name: string) => join(out, name);
  const runs: CliRun[] = [];
  const cli = async (args: string[]) => {
    const result = await runCli(args, { env });
    runs.push(result);
    return result;
  };

  const [ts, json] = await Promise.all([
    cli(['run', '-c', 'canary.config.ts', '--ndjson', file('ts.ndjson'), '--junit', file('ts.xml'), '--checklist', file('ts.md'), '--html', file('ts.html'), '--verbose']),
    cli(['run', '-c', 'canary.config.json', '--ndjson', file('json.ndjson'), '--junit', file('json.xml'), '--checklist', file('json.md'), '--verbose']),
  ]);
  expect(ts!.code).toBe(2);      // a check errored
  expect(json!.code).toBe(1);    // a check failed
  const [failedLoad, invalid] = await Promise.all([
    cli(['run', '-c', 'canary-throws.config.ts']),
    cli(['run', '-c', 'canary-invalid.config.ts']),
    cli(['list', '-c', 'canary.config.ts']),
    cli(['list', '-c', 'canary.config.json', '--json']),
    cli(['checklist', '--from', file('ts.ndjson'), '-c', 'canary.config.ts']),
    ...['junit', 'md', 'console', 'html'].flatMap((format) => [
      cli(['report', file('ts.ndjson'), '--format', format]),
      cli(['report', file('json.ndjson'), '--format', format, '--out', file(`report-json.${format}`)]),
    ]),
    cli(['merge', file('ts.ndjson'), file('json.ndjson'), '--ndjson', file('merged.ndjson'), '--junit', file('merged.xml'), '--checklist', file('merged.md')]),
  ]);
  expect(failedLoad!.stderr).toContain('canary-throws.config.ts threw while loading: cannot prepare postgres://app:***@127.0.0.1:1/db with token ***');
  expect(invalid!.stderr).toContain('probes[1].url: expected a postgres:// URL with a database name, got "postgres://app:***@localhost"');

  const outputs: Record<string, string> = {};
  runs.forEach((run, index) => {
    outputs[`run ${index} stdout`] = run.stdout;
    outputs[`run ${index} stderr`] = run.stderr;
  });
  for (const name of readdirSync(out)) outputs[name] = readFileSync(file(name), 'utf8');
  expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ts.ndjson', 'ts.xml', 'ts.md', 'ts.html', 'report-json.html', 'json.ndjson', 'json.xml', 'json.md', 'merged.ndjson', 'report-json.junit', 'report-json.md', 'report-json.console']));

  // The outputs do talk about the secrets' places (so the test is not vacuous) …
  const everything = Object.values(outputs).join('\n');
  expect(everything).toContain('password authentication failed for postgres://app:***@127.0.0.1:1/db');
  expect(everything).toContain('Authorization: Bearer ***');
  expect(everything).toContain('the server rejected key *** at http://127.0.0.1:1/?ref=***');
  expect(everything).toContain('teardown of canary-db failed');
  // … and never show them.
  for (const [name, text] of Object.entries(outputs)) {
    expect(text.includes(PASSWORD), `${name} shows the password`).toBe(false);
    expect(text.includes(TOKEN), `${name} shows the token`).toBe(false);
    expect(text.includes(encodeURIComponent(TOKEN)), `${name} shows the token URL-encoded`).toBe(false);
  }
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, startCli } from './cli-process.ts';
import { markers, tempDir } from './temp-dir.ts';

interface Event {
  type: string;
  exitCode?: number;
  result?: { id: string; status: string; reason?: string; target: { name: string } };
}

const events = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Event);
const statuses = (file: string) => Object.fromEntries(events(file).flatMap((event) => (event.result ? [[`${event.result.target.name}/${event.result.id}`, event.result.status]] : [])));

describe.concurrent('probe run: exit codes', () => {
  it.for([
    { status: 'pass', strict: false, code: 0 },
    { status: 'warn', strict: false, code: 0 },
    { status: 'warn', strict: true, code: 1 },
    { status: 'skip', strict: false, code: 0 },
    { status: 'fail', strict: false, code: 1 },
    { status: 'error', strict: false, code: 2 },
    { status: 'throw', strict: false, code: 2 },
  ])('a check that returns $status (strict: $strict) → exit $code', async ({ status, strict, code }, context) => {
    const out = tempDir(context);
    const result = await runCli(['run', '-c', 'basic.config.ts', '--ndjson', join(out, 'run.ndjson'), ...(strict ? ['--strict'] : [])], { env: { PROBE_FIXTURE_STATUS: status, PROBE_TEST_OUT: out } });
    expect(result.code, result.stderr).toBe(code);
    expect(events(join(out, 'run.ndjson')).at(-1)).toMatchObject({ type: 'run-end', exitCode: code });
    expect(result.stdout).toMatch(new RegExp(`— exit ${code}\\n`));
    expect(result.stdout).not.toContain('\u001b[');   // not a TTY: plain lines, no escape codes
  });
});

describe.concurrent('probe run: selection', () => {
  it('--read-only skips every writing check, with the reason, and never runs it', async (context) => {
    const out = tempDir(context);
    const result = await runCli(['run', '-c', 'basic.config.ts', '--read-only', '--ndjson', join(out, 'run.ndjson')], { env: { PROBE_TEST_OUT: out } });
    expect(result.code).toBe(0);
    expect(statuses(join(out, 'run.ndjson'))).toEqual({
      'alpha/api.endpoint.health': 'pass', 'alpha/api.endpoint.variable': 'pass', 'alpha/api.data-flow.round-trip': 'skip',
      'beta/db.connection.connectivity': 'pass', 'beta/db.query.crud': 'skip', 'beta/db.query.performance': 'pass',
    });
    expect(events(join(out, 'run.ndjson')).find((event) => event.result?.id === 'db.query.crud')?.result?.reason).toMatch(/^read-only mode/);
    expect(markers(out)).toEqual([
      'ran-alpha-api.endpoint.health', 'ran-alpha-api.endpoint.variable', 'ran-beta-db.connection.connectivity', 'ran-beta-db.query.performance',
    ]);
  });

  it.for([
    { args: ['--only', 'db.*'], ran: ['ran-beta-db.connection.connectivity', 'ran-beta-db.query.crud', 'ran-beta-db.query.performance'] },
    { args: ['--only', 'api.endpoint.*', '--only', 'db.query.performance'], ran: ['ran-alpha-api.endpoint.health', 'ran-alpha-api.endpoint.variable', 'ran-beta-db.query.performance'] },
    { args: ['--only', 'alpha/*', '--skip', '*.variable'], ran: ['ran-alpha-api.data-flow.round-trip', 'ran-alpha-api.endpoint.health'] },
    { args: ['--skip', 'api.*,db.query.*'], ran: ['ran-beta-db.connection.connectivity'] },
  ])('$args selects exactly those checks', async ({ args, ran }, context) => {
    const out = tempDir(context);
    const result = await runCli(['run', '-c', 'basic.config.ts', ...args, '--quiet'], { env: { PROBE_TEST_OUT: out } });
    expect(result.code, result.stderr).toBe(0);
    expect(markers(out)).toEqual(ran);
    expect(result.stdout).toMatch(new RegExp(`^probe: ${ran.length} passed in [\\d.]+ ms; exit 0\\n$`));
  });
});

describe.concurrent('probe list, checklist, report', () => {
  it('probe list shows target, id, title, flags and checklist items, and runs nothing', async (context) => {
    const out = tempDir(context);
    const result = await runCli(['list', '-c', 'basic.config.ts', '--read-only'], { env: { PROBE_TEST_OUT: out } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('alpha (http, http://127.0.0.1:1/)');
    expect(result.stdout).toMatch(/api\.data-flow\.round-trip\s+The round-trip check {2}\[writes: skipped under --read-only\]/);
    expect(result.stdout).toMatch(/db\.query\.performance\s+The performance check {2}\[slow\]/);
    expect(result.stdout).toMatch(/needs: db\.connection\.connectivity\n\s+checklist: integration\.database\.query\.test-crud-operations/);
    expect(result.stdout).toContain('6 checks on 2 targets; 2 writing checks skipped under --read-only');
    expect(markers(out)).toEqual([]);
  });

  it('probe list --json --shard lists what that shard would run', async () => {
    const shards = await Promise.all([1, 2].map((index) => runCli(['list', '-c', 'many.config.ts', '--json', '--shard', `${index}/2`])));
    const lists = shards.map((shard) => JSON.parse(shard.stdout) as { id: string; target: { name: string }; needs: string[] }[]);
    const keys = lists.flat().map((check) => `${check.target.name}/${check.id}`);
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
    expect(lists[0]![0]).toMatchObject({ writes: false, slow: false, parallel: false, checklist: [] });
  });

  it('probe checklist --config marks the items the config covers, without running', async (context) => {
    const out = tempDir(context);
    const [text, markdown] = await Promise.all([
      runCli(['checklist', '-c', 'basic.config.ts'], { env: { PROBE_TEST_OUT: out } }),
      runCli(['checklist', '-c', 'basic.config.ts', '--format', 'md', '--out', join(out, 'checklist.md')], { env: { PROBE_TEST_OUT: out } }),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Checklist coverage {2}7\/169 items covered/);
    expect(text.stdout).toMatch(/\[·\] Test connectivity\s+covered, not run: db\.connection\.connectivity \(beta\)/);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toBe('');
    expect(readFileSync(join(out, 'checklist.md'), 'utf8')).toContain('- [ ] Test connectivity — covered, not run: db.connection.connectivity (beta)');
    expect(markers(out)).toEqual([]);
  });

  it('probe checklist --from marks the items with a saved run’s results', async (context) => {
    const out = tempDir(context);
    await runCli(['run', '-c', 'basic.config.ts', '--quiet', '--ndjson', join(out, 'run.ndjson')], { env: { PROBE_FIXTURE_STATUS: 'fail' } });
    const result = await runCli(['checklist', '--from', join(out, 'run.ndjson'), '--format', 'md']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- [x] Test connectivity — pass: db.connection.connectivity (beta)');
    expect(result.stdout).toMatch(/- \[ \] Test error handling — FAIL: api\.endpoint\.variable \(alpha\)/i);
  });

  it('probe report rebuilds JUnit, Markdown, console and HTML output from a saved NDJSON', async (context) => {
    const out = tempDir(context);
    const ndjson = join(out, 'run.ndjson');
    const run = await runCli(['run', '-c', 'basic.config.ts', '--ndjson', ndjson, '--junit', join(out, 'live.xml'), '--html', join(out, 'live.html')], { env: { PROBE_FIXTURE_STATUS: 'fail' } });
    const [junit, md, consoleReport, html] = await Promise.all([
      runCli(['report', ndjson, '--format', 'junit', '--out', join(out, 'report.xml')]),
      runCli(['report', ndjson, '--format', 'md']),
      runCli(['report', ndjson, '--format', 'console']),
      runCli(['report', ndjson, '--format', 'html']),
    ]);
    expect([junit.code, md.code, consoleReport.code, html.code]).toEqual([0, 0, 0, 0]);
    expect(html.stdout).toBe(readFileSync(join(out, 'live.html'), 'utf8'));
    expect(html.stdout).toContain('<span class="count" data-total="fail">1</span>');
    const xml = readFileSync(join(out, 'report.xml'), 'utf8');
    expect(xml).toBe(readFileSync(join(out, 'live.xml'), 'utf8'));
    expect(xml).toMatch(/<testsuites[^>]* tests="6" failures="1" errors="0" skipped="0"/);
    expect(xml).toMatch(/<testcase[^>]*name="api\.endpoint\.variable"[^>]*>\s*<failure/);
    expect(md.stdout).toContain('# Checklist coverage');
    expect(consoleReport.stdout).toBe(run.stdout);   // the same lines and summary as the live run
    expect(consoleReport.stdout).toContain('5 passed, 1 failed, 0 warned, 0 skipped, 0 errored');
  });

  it('probe report of a file that is not NDJSON → exit 2, named', async (context) => {
    const out = tempDir(context);
    writeFileSync(join(out, 'bad.ndjson'), 'not json\n');
    const [bad, missing] = await Promise.all([
      runCli(['report', join(out, 'bad.ndjson'), '--format', 'junit']),
      runCli(['report', join(out, 'missing.ndjson'), '--format', 'junit']),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('contains no probe events');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read NDJSON file');
    expect(missing.stderr).toContain('no such file');
  });
});

describe.concurrent('config formats and discovery', () => {
  it('a JSON config builds its probes with the factories it names, with ${VAR:-default}', async () => {
    const result = await runCli(['run', '-c', 'json.config.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/PASS\s+test\.fixed\.status\s+json-target/);
    expect(result.stdout).toMatch(/WARN\s+test\.fixed\.status\s+default-export/);
    const named = await runCli(['list', '-c', 'json.config.json', '--json'], { env: { PROBE_FIXTURE_NAME: 'from-env' } });
    expect((JSON.parse(named.stdout) as { target: { name: string } }[]).map((check) => check.target.name)).toEqual(['from-env', 'default-export']);
  });

  it('without --config, the first of probe.config.ts|.mts|.mjs|.js|.json in the working directory', async (context) => {
    const dir = tempDir(context);
    const config = (status: string) => `export default { probes: [{ target: { kind: 'test', name: 't' }, checks: [{ id: 'test.default.config', title: 'x', run: () => ({ status: '${status}', summary: 'from ${status}' }) }] }] };\n`;
    writeFileSync(join(dir, 'probe.config.mjs'), config('fail'));
    writeFileSync(join(dir, 'probe.config.json'), '{ "probes": [] }');
    const first = await runCli(['run', '--quiet'], { cwd: dir });
    expect(first.stdout).toMatch(/^probe: 1 failed/);
    writeFileSync(join(dir, 'probe.config.ts'), config('pass').replace('export default {', 'const config: object = {').replace('};', '};\nexport default config;'));
    const second = await runCli(['run', '--quiet'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^probe: 1 passed/);
  });

  it('NO_COLOR and FORCE_COLOR decide colour', async () => {
    const [forced, forcedButNo] = await Promise.all([
      runCli(['run', '-c', 'basic.config.ts'], { env: { FORCE_COLOR: '1' } }),
      runCli(['run', '-c', 'basic.config.ts'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }),
    ]);
    expect(forced.stdout).toContain('\u001b[');
    expect(forcedButNo.stdout).not.toContain('\u001b[');
  });
});

describe.concurrent('help, version and cold start', () => {
  it('probe --help, probe run --help and probe --version', async () => {
    const [help, runHelp, version] = await Promise.all([runCli(['--help']), runCli(['run', '--help']), runCli(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n {2}run +Run the checks of a config and report\n {2}list/);
    expect(runHelp.code).toBe(0);
    for (const flag of ['--config FILE', '--only GLOB', '--skip GLOB', '--read-only', '--shard I/N', '--timeout MS', '--concurrency N', '--ndjson FILE', '--junit FILE', '--checklist FILE', '--html FILE', '--strict', '--quiet']) {
      expect(runHelp.stdout).toContain(flag);
    }
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version}\n`);
  });

  it('probe --help loads neither @probe/core nor zod nor opossum; probe run does', async () => {
    const trace = ['--import', join(FIXTURES, 'trace-modules.mjs')];
    const [help, run] = await Promise.all([
      runCli(['--help'], { nodeArgs: trace }),
      runCli(['run', '-c', 'basic.config.ts', '--quiet'], { nodeArgs: trace }),
    ]);
    const loaded = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('[module] ')).join('\n');
    expect(loaded(help.stderr)).not.toMatch(/packages\/core|\/zod\/|\/opossum\//);
    expect(loaded(help.stderr)).toContain('dist/cli.js');
    expect(loaded(run.stderr)).toMatch(/packages\/core\/dist\/index\.js/);
    expect(loaded(run.stderr)).toMatch(/\/zod\//);
  });
});

describe('a closed stdout', () => {
  it('`probe run | head -0`: the run still finishes, writes its reports and exits with its code', async (context) => {
    const out = tempDir(context);
    const cli = startCli(['run', '-c', 'basic.config.ts', '--ndjson', join(out, 'run.ndjson')], { env: { PROBE_FIXTURE_STATUS: 'fail' } });
    cli.child.stdout!.destroy();
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe('');
    expect(events(join(out, 'run.ndjson')).at(-1)).toMatchObject({ type: 'run-end', exitCode: 1 });
  });
});

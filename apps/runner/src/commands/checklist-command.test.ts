import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fakeIo } from '../fake-io.test-helper.ts';
import { main } from '../main.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

describe('probe checklist', () => {
  it('marks from results and a config together, in colour on a terminal', async () => {
    const out = mkdtempSync(join(tmpdir(), 'probe-checklist-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const ndjson = join(out, 'run.ndjson');
    await main(['run', '-c', 'basic.config.ts', '--only', 'db.connection.*', '--quiet', '--ndjson', ndjson], fakeIo(fixtures));
    const io = fakeIo(fixtures, {}, { tty: true });
    expect(await main(['checklist', '--from', ndjson, '-c', 'basic.config.ts'], io)).toBe(0);
    expect(io.out()).toContain('\u001b[');
    const text = io.out().replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/Test connectivity\s+pass: db\.connection\.connectivity \(beta\)/);
    expect(text).toMatch(/Test CRUD operations\s+covered, not run: db\.query\.crud \(beta\)/i);
  });

  it('warns about lines that are not events, and uses the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'probe-checklist-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    writeFileSync(join(out, 'run.ndjson'), [
      JSON.stringify({ v: 1, type: 'check-end', runId: 'r', time: new Date().toISOString(), result: { id: 'db.connection.connectivity', status: 'pass', target: { kind: 'postgres', name: 'db' }, checklist: ['integration.database.connection.test-connectivity'] } }),
      '{"v": 2}',
      '',
    ].join('\n'));
    const io = fakeIo(out);
    expect(await main(['checklist', '--from', 'run.ndjson', '--format', 'md'], io)).toBe(0);
    expect(io.err()).toContain('probe: run.ndjson: line 2: unsupported protocol version 2');
    expect(io.out()).toContain('- [x] Test connectivity — pass: db.connection.connectivity (db)');
  });

  it('needs a config or a saved run, and says which', async () => {
    const out = mkdtempSync(join(tmpdir(), 'probe-checklist-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const io = fakeIo(out);
    expect(await main(['checklist'], io)).toBe(2);
    expect(io.err()).toContain('nothing to mark: no config file in');
    expect(io.err()).toContain('pass --config FILE (coverage of its checks) or --from FILE.ndjson (results of a saved run)');
  });

  it('names an --out it cannot write', async () => {
    const out = mkdtempSync(join(tmpdir(), 'probe-checklist-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    writeFileSync(join(out, 'file'), '');
    const io = fakeIo(fixtures);
    expect(await main(['checklist', '-c', 'basic.config.ts', '--out', join(out, 'file', 'checklist.md')], io)).toBe(2);
    expect(io.err()).toMatch(/^probe checklist: --out: cannot write .*file\/checklist\.md: E(NOTDIR|EXIST)/);
  });
});

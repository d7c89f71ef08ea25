import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { fakeIo } from '../fake-io.test-helper.ts';
import { main } from '../main.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'probe-report-'));
  for (const index of [1, 2]) {
    const io = fakeIo(fixtures);
    await main(['run', '-c', 'many.config.ts', '--shard', `${index}/2`, '--quiet', '--ndjson', join(out, `shard-${index}.ndjson`), '--html', join(out, `live-${index}.html`)], io);
  }
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('probe report', () => {
  it.each(['junit', 'md', 'console', 'html'])('--format %s writes to stdout or --out', async (format) => {
    const io = fakeIo(out);
    expect(await main(['report', 'shard-1.ndjson', '--format', format], io)).toBe(0);
    expect(io.out().length).toBeGreaterThan(100);
    expect(await main(['report', 'shard-1.ndjson', '--format', format, '--out', `reports/report.${format}`], io)).toBe(0);
    expect(readFileSync(join(out, 'reports', `report.${format}`), 'utf8').length).toBeGreaterThan(100);
  });

  it('--format html rebuilds, byte for byte, the page that run --html wrote', async () => {
    const io = fakeIo(out);
    expect(await main(['report', 'shard-2.ndjson', '--format', 'html', '--out', 'rebuilt.html'], io)).toBe(0);
    const page = readFileSync(join(out, 'rebuilt.html'), 'utf8');
    expect(page).toBe(readFileSync(join(out, 'live-2.html'), 'utf8'));
    expect(page).toMatch(/^<!doctype html>\n/);
    expect(page).toContain('<section id="checklist"');
  });

  it('redacts what another writer left in the file: URL passwords, Authorization values, secret-named fields', async () => {
    const result = {
      id: 'db.connection.connectivity', title: 'Connects', target: { kind: 'postgres', name: 'db', url: 'postgres://app:hunter2-canary@127.0.0.1:5432/app' },
      status: 'fail', summary: 'psql postgres://app:hunter2-canary@127.0.0.1/app refused', startedAt: '2026-11-22T08:00:00.000Z', durationMs: 3,
      checklist: [], metrics: [], evidence: { password: 'hunter2-canary', curl: "curl -H 'Authorization: Bearer hunter2-canary' http://127.0.0.1/" },
    };
    const events = [
      { v: 1, type: 'run-start', runId: 'r1', time: '2026-11-22T08:00:00.000Z', version: '0.1.0', planned: 1, readOnly: false },
      { v: 1, type: 'check-end', runId: 'r1', time: '2026-11-22T08:00:00.003Z', result },
      { v: 1, type: 'run-end', runId: 'r1', time: '2026-11-22T08:00:00.004Z', totals: { pass: 0, fail: 1, warn: 0, skip: 0, error: 0 }, exitCode: 1, durationMs: 4 },
    ];
    writeFileSync(join(out, 'foreign.ndjson'), events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    for (const format of ['junit', 'md', 'console', 'html']) {
      const io = fakeIo(out);
      expect(await main(['report', 'foreign.ndjson', '--format', format], io)).toBe(0);
      expect(io.out(), format).toContain(format === 'md' ? '# Checklist coverage' : 'db.connection.connectivity');
      expect(io.out() + io.err(), format).not.toContain('hunter2');
    }
    const io = fakeIo(out);
    await main(['merge', 'foreign.ndjson', '--ndjson', 'foreign-merged.ndjson', '--quiet'], io);
    expect(readFileSync(join(out, 'foreign-merged.ndjson'), 'utf8')).not.toContain('hunter2');
  });

  it('requires --format and names bad input lines on stderr', async () => {
    const io = fakeIo(out);
    expect(await main(['report', 'shard-1.ndjson'], io)).toBe(2);
    expect(io.err()).toContain('--format is required: one of junit, md, console, html');
  });
});

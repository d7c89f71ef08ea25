import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('requires --format and names bad input lines on stderr', async () => {
    const io = fakeIo(out);
    expect(await main(['report', 'shard-1.ndjson'], io)).toBe(2);
    expect(io.err()).toContain('--format is required: one of junit, md, console, html');
  });
});

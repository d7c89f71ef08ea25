import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { fakeIo } from '../fake-io.test-helper.ts';
import { main } from '../main.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'probe-merge-'));
  for (const index of [1, 2]) {
    const io = fakeIo(fixtures);
    await main(['run', '-c', 'many.config.ts', '--shard', `${index}/2`, '--quiet', '--ndjson', join(out, `shard-${index}.ndjson`)], io);
  }
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('probe merge', () => {
  it('merges shards into one run, writes the reports and exits with the merged exit code', async () => {
    const io = fakeIo(out);
    const code = await main(['merge', 'shard-1.ndjson', 'shard-2.ndjson', '--ndjson', 'merged/run.ndjson', '--junit', 'merged/junit.xml', '--checklist', 'merged/checklist.md', '--html', 'merged/report.html', '--quiet'], io);
    expect(code).toBe(1);
    expect(io.out()).toMatch(/^probe: 8 passed, 4 failed, 3 warned, 5 skipped in [\d.]+ ms; exit 1\n$/);
    for (const name of ['run.ndjson', 'junit.xml', 'checklist.md', 'report.html']) expect(existsSync(join(out, 'merged', name))).toBe(true);
    expect(readFileSync(join(out, 'merged', 'report.html'), 'utf8')).toMatch(/<span class="count" data-total="fail">4<\/span>/);
  });

  it('--strict makes warnings count', async () => {
    writeFileSync(join(out, 'warn.config.mjs'), "export default { probes: [{ target: { kind: 'test', name: 'w' }, checks: [{ id: 'test.only.warns', title: 'warns', run: () => ({ status: 'warn', summary: 'meh' }) }] }] };\n");
    const io = fakeIo(out);
    expect(await main(['run', '-c', 'warn.config.mjs', '--quiet', '--ndjson', 'warn.ndjson'], io)).toBe(0);
    expect(await main(['merge', 'warn.ndjson', '--quiet'], io)).toBe(0);
    expect(await main(['merge', 'warn.ndjson', '--quiet', '--strict'], io)).toBe(1);
  });

  it('refuses to overwrite an input, a file given twice, and overlapping shards', async () => {
    const io = fakeIo(out);
    expect(await main(['merge', 'shard-1.ndjson', '--ndjson', 'shard-1.ndjson'], io)).toBe(2);
    expect(io.err()).toContain('--ndjson shard-1.ndjson is also an input');
    expect(await main(['merge', 'shard-1.ndjson', './shard-1.ndjson'], io)).toBe(2);
    expect(io.err()).toContain('./shard-1.ndjson is given twice');
  });

  it('refuses an unwritable report path before doing anything', async () => {
    const io = fakeIo(out);
    expect(await main(['merge', 'shard-1.ndjson', '--junit', '.'], io)).toBe(2);
    expect(io.err()).toContain('--junit: cannot write .: it is a directory');
    expect(await main(['merge', 'shard-1.ndjson', '--html', '.'], io)).toBe(2);
    expect(io.err()).toContain('--html: cannot write .: it is a directory');
  });

  describe('a load distributed over the shards', () => {
    let server: Server;
    const saved = { ...process.env };
    beforeAll(async () => {
      server = createServer((_request, response) => response.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      process.env.PROBE_TEST_LOAD_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      process.env = saved;
      await new Promise((resolve) => server.close(resolve));
    });

    const shard = async (index: number, combiner?: string) => {
      if (combiner) process.env.PROBE_TEST_COMBINER = combiner;
      else delete process.env.PROBE_TEST_COMBINER;
      const file = join(out, `load-${combiner ? 'foreign-' : ''}${index}.ndjson`);
      expect(await main(['run', '-c', 'distributed-load.config.ts', '--shard', `${index}/2`, '--quiet', '--ndjson', file], fakeIo(fixtures))).toBe(0);
      return file;
    };

    it('each shard sends half; merge loads @probe/perf\'s combiner and reports the whole load once', async () => {
      const files = [await shard(1), await shard(2)];
      const io = fakeIo(out);
      expect(await main(['merge', ...files, '--ndjson', 'load-merged.ndjson', '--quiet'], io)).toBe(0);
      const results = readFileSync(join(out, 'load-merged.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
        .filter((event) => event.type === 'check-end').map((event) => event.result);
      const throughput = results.filter((result) => result.id === 'perf.load.throughput');
      expect(throughput).toHaveLength(1);
      expect(throughput[0].part).toBeUndefined();
      expect(throughput[0].summary).toMatch(/ req\/s, p50 .*; 2 shards together$/);
      expect(throughput[0].evidence.load.completed).toBe(40);
    });

    it('a part whose combiner cannot be loaded: exit 2, naming the package to install or the export missing', async () => {
      const missing = [await shard(1, '@probe/not-installed#combine'), await shard(2, '@probe/not-installed#combine')];
      const io = fakeIo(out);
      expect(await main(['merge', ...missing, '--quiet'], io)).toBe(2);
      expect(io.err()).toContain('the shards hold parts of split checks combined by @probe/not-installed#combine; install @probe/not-installed where probe merge runs (npm i @probe/not-installed)');
      const wrong = [await shard(1, '@probe/perf#noSuchCombiner'), await shard(2, '@probe/perf#noSuchCombiner')];
      expect(await main(['merge', ...wrong, '--quiet'], io)).toBe(2);
      expect(io.err()).toContain('@probe/perf has no function noSuchCombiner to combine split checks');
    });
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Probe } from '@probe/core';
import { describeConformance } from './conformance.ts';

// A well-behaved probe whose "target" is a folder: it writes only files named with
// its run id and removes them in teardown, as the real probe packages must.
const folder = mkdtempSync(join(tmpdir(), 'probe-testkit-'));
writeFileSync(join(folder, 'users.csv'), 'id,name\n1,ada\n');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function folderProbe(): Probe<{ files: string[] }> {
  return {
    target: { kind: 'folder', name: 'tmp-folder', url: `file://${folder}` },
    setup: () => ({ files: [] }),
    teardown: (_ctx, resources) => { for (const file of resources?.files ?? []) rmSync(file, { force: true }); },
    checks: [
      {
        id: 'fs.write.roundtrip', title: 'Writes and reads back a file', writes: true,
        checklist: ['integration.data.data-flow.test-processing'],
        run: async (ctx) => {
          const file = join(folder, `probe-${ctx.runId}.txt`);
          ctx.resources.files.push(file);
          writeFileSync(file, 'x');
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { status: 'pass', summary: 'file written and read back' };
        },
      },
      { id: 'fs.read.listing', title: 'Lists the folder', run: () => ({ status: 'pass', summary: `${readdirSync(folder).length} entries` }) },
    ],
  };
}

describeConformance({
  name: 'a folder probe',
  domain: 'fs',
  probe: folderProbe,
  fingerprint: async () => readdirSync(folder).filter((name) => !name.startsWith('probe-')).sort(),
  leftovers: async (runId) => readdirSync(folder).filter((name) => name.includes(runId)),
  abortAfterMs: 2,
});

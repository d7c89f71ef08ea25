import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CATALOG_FILE, CHECKLIST_DIR, generateCatalog, readChecklists } from '../../scripts/generate-catalog.ts';
import { buildCatalog, emitCatalogSource } from './catalog-source.ts';

/** Where the checklists live beside the repository (`/work/shared`, or shared/ next to a CI clone). */
const SHARED_DIR = fileURLToPath(new URL('../../../../../shared/checklist/', import.meta.url));
const sharedPresent = existsSync(SHARED_DIR);
if (!sharedPresent) console.info(`note: ${SHARED_DIR} is absent; not comparing packages/core/checklist/ with it`);

describe('generate-catalog', () => {
  it('catalog.generated.ts is what the generator makes from checklist/*.md (run `pnpm catalog` if not)', () => {
    expect(readFileSync(CATALOG_FILE, 'utf8')).toBe(generateCatalog());
  });

  it.skipIf(!sharedPresent)('the package copies equal ../shared/checklist/*.md', () => {
    expect(readChecklists(CHECKLIST_DIR)).toEqual(readChecklists(SHARED_DIR));
  });

  it('--check exits 0 when the file is fresh', async () => {
    const script = fileURLToPath(new URL('../../scripts/generate-catalog.ts', import.meta.url));
    await expect(promisify(execFile)(process.execPath, [script, '--check'])).resolves.toMatchObject({ stderr: '' });
  });

  it('fails loudly when two items get the same id', () => {
    const sources = {
      integration: '## Database Integration\n- [ ] Connection Testing\n  - [ ] Test connectivity\n  - [ ] Test connectivity!',
      'test-setup': '',
    };
    expect(() => buildCatalog(sources)).toThrow(
      'checklist: "integration › Database Integration › Connection Testing › Test connectivity" and "integration › Database Integration › Connection Testing › Test connectivity!" both get the id integration.database.connection.test-connectivity; reword one of them',
    );
  });

  it('emits valid, escaped string literals and nested ITEMS', () => {
    const source = emitCatalogSource(buildCatalog({ integration: '', 'test-setup': "## Retry & Error Handling\n- [ ] Permanent errors don't retry \\ \"ever\"" }));
    expect(source).toContain(`text: 'Permanent errors don\\'t retry \\\\ "ever"' }`);
    expect(source).toContain(`export const ITEMS = {
  testSetup: {
    retryErrorHandling: {
      permanentErrorsDontRetryEver: 'test-setup.retry-error-handling.permanent-errors-dont-retry-ever',
    },
  },
} as const;`);
  });

  it('refuses ids whose ITEMS names would collide', () => {
    expect(() => buildCatalog({ integration: '', 'test-setup': '## S\n- [ ] a 1\n- [ ] a1' })).not.toThrow();
    expect(() => emitCatalogSource(buildCatalog({ integration: '', 'test-setup': '## S\n- [ ] a 1\n- [ ] a1' }))).toThrow(
      'ITEMS.testSetup.s.a1 would name two things (test-setup.s.a1)',
    );
  });
});

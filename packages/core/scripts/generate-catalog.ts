/**
 * Generates `src/checklist/catalog.generated.ts` from the package's copies of
 * the checklists (`checklist/integration.md`, `checklist/test-setup.md`).
 *
 *   node scripts/generate-catalog.ts          write the file
 *   node scripts/generate-catalog.ts --check  exit 1 if the file is stale
 *
 * The parsing and id rules live in src/checklist (parse.ts, slug.ts) with their tests.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, CHECKLIST_FILES, emitCatalogSource, type ChecklistSources } from '../src/checklist/catalog-source.ts';

/** The package's copies of the checklists. */
export const CHECKLIST_DIR = fileURLToPath(new URL('../checklist/', import.meta.url));

/** Where the generated catalog goes. */
export const CATALOG_FILE = fileURLToPath(new URL('../src/checklist/catalog.generated.ts', import.meta.url));

/** Reads the checklist files in `directory` (default: the package's copies). */
export function readChecklists(directory: string = CHECKLIST_DIR): ChecklistSources {
  const read = (file: string) => readFileSync(join(directory, `${file}.md`), 'utf8');
  return Object.fromEntries(CHECKLIST_FILES.map((file) => [file, read(file)])) as ChecklistSources;
}

/** The source `catalog.generated.ts` must have, from the checklists in `directory`. */
export function generateCatalog(directory: string = CHECKLIST_DIR): string {
  return emitCatalogSource(buildCatalog(readChecklists(directory)));
}

function main(argv: readonly string[]): number {
  const items = buildCatalog(readChecklists());
  const source = emitCatalogSource(items);
  const current = readCurrent();
  if (argv.includes('--check')) {
    if (current === source) return 0;
    console.error('catalog.generated.ts is stale: run `pnpm catalog` in packages/core');
    return 1;
  }
  if (current !== source) writeFileSync(CATALOG_FILE, source);
  console.log(`${current === source ? 'unchanged' : 'wrote'} ${CATALOG_FILE} (${items.length} items)`);
  return 0;
}

function readCurrent(): string | undefined {
  try {
    return readFileSync(CATALOG_FILE, 'utf8');
  } catch {
    return undefined;
  }
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = main(process.argv.slice(2));
}

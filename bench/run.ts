/** Runs every benchmark in this folder in turn: pnpm bench [name]. */
import { readdirSync } from 'node:fs';

const only = process.argv[2];
const here = new URL('.', import.meta.url).pathname;
for (const file of readdirSync(here).filter((name) => name.endsWith('.ts') && name !== 'run.ts').sort()) {
  if (only && !file.startsWith(only)) continue;
  console.log(`\n## bench/${file}\n`);
  await import(`${here}${file}`);
}

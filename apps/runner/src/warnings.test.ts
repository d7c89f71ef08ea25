import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const module = fileURLToPath(new URL('./warnings.ts', import.meta.url));

describe('quietKnownWarnings', () => {
  it('hides only the TimeoutNegativeWarning kafkajs triggers', () => {
    const script = `import { quietKnownWarnings } from ${JSON.stringify(module)};
      quietKnownWarnings();
      setTimeout(() => {}, -5);
      process.emitWarning('something else', 'DeprecationWarning');`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.stderr).not.toContain('TimeoutNegativeWarning');
    expect(out.stderr).toContain('DeprecationWarning: something else');
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Reporter } from '../protocol/events.ts';
import type { Result } from '../protocol/types.ts';
import { markChecklist } from './marks.ts';
import { renderChecklistMarkdown } from './render.ts';

/**
 * A reporter that collects every `check-end` result and, at `close`, writes the
 * marked checklist as Markdown to `path` (creating its parent directories).
 * Interrupted runs get a checklist of what finished.
 */
export function createChecklistReporter(path: string): Reporter {
  const results: Result[] = [];
  return {
    onEvent(event) {
      if (event.type === 'check-end') results.push(event.result);
    },
    async close() {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, renderChecklistMarkdown(markChecklist({ results })));
    },
  };
}

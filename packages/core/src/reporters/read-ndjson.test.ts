import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProbeError, ProbeErrorCode } from '../errors.ts';
import type { RunEvent } from '../protocol/events.ts';
import { formatEvent } from './ndjson.ts';
import { parseNdjson, readNdjsonFile } from './read-ndjson.ts';
import { recordRun } from './run-fixture.test-helper.ts';

const directory = mkdtempSync(join(tmpdir(), 'probe-read-ndjson-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let events: RunEvent[];
let text: string;
beforeAll(async () => {
  ({ events } = await recordRun());
  text = events.map((event) => `${formatEvent(event)}\n`).join('');
});

describe('parseNdjson', () => {
  it('reads back what the NDJSON reporter writes', () => {
    expect(parseNdjson(text)).toEqual({ events: JSON.parse(JSON.stringify(events)), problems: [] });
  });

  it('accepts CRLF line ends, blank lines and a byte-order mark', () => {
    const crlf = `\ufeff${text.split('\n').join('\r\n')}\r\n\r\n`;
    expect(parseNdjson(crlf)).toEqual({ events: JSON.parse(JSON.stringify(events)), problems: [] });
  });

  it('tolerates a cut-off last line and says so', () => {
    const cut = text.slice(0, text.length - 40);
    const parsed = parseNdjson(cut);
    expect(parsed.events).toHaveLength(events.length - 1);
    expect(parsed.problems).toEqual([`line ${events.length}: cut-off last line ignored (the run probably died while writing it)`]);
  });

  it('names bad lines by number and keeps the good ones', () => {
    const lines = text.split('\n');
    lines.splice(1, 0, '{"v":1,"type":"check-end"');
    lines.splice(3, 0, '[1,2]', '{"v":2,"type":"run-start"}', '{"v":1,"type":"progress"}', '{"v":1,"type":"check-end","result":{}}', '{"v":1,"type":"check-start"}');
    const parsed = parseNdjson(lines.join('\n'));
    expect(parsed.events).toHaveLength(events.length);
    expect(parsed.problems).toEqual([
      expect.stringMatching(/^line 2: not JSON: /),
      'line 4: not a probe event (expected a JSON object)',
      'line 5: unsupported protocol version 2 (this reader knows v 1)',
      'line 6: unknown event type "progress"',
      'line 7: check-end without a result { id, status, target }',
      'line 8: check-start without id and target',
    ]);
  });
});

describe('readNdjsonFile', () => {
  it('reads a file', async () => {
    const path = join(directory, 'run.ndjson');
    writeFileSync(path, text);
    const parsed = await readNdjsonFile(path);
    expect(parsed.events).toHaveLength(events.length);
  });

  it.each([
    ['a missing file', 'missing.ndjson', undefined, /cannot read NDJSON file .*missing\.ndjson: no such file — write one with `probe run --ndjson FILE`/],
    ['a directory', '.', undefined, /cannot read NDJSON file .*: it is a directory/],
    ['an empty file', 'empty.ndjson', '', /empty\.ndjson contains no probe events: it is empty/],
    ['a file of something else', 'other.ndjson', 'hello\n{"a":1}\n', /other\.ndjson contains no probe events: no line is a probe event \(line 1: not JSON: .*; line 2: unsupported protocol version undefined/],
  ])('throws PROBE_ERR_CONFIG for %s', async (_name, file, content, message) => {
    const path = join(directory, file);
    if (content !== undefined) writeFileSync(path, content);
    const error = await readNdjsonFile(path).catch((caught: unknown) => caught);
    expect(isProbeError(error)).toBe(true);
    expect(error).toMatchObject({ code: ProbeErrorCode.CONFIG });
    expect(`${(error as Error).message} — ${(error as { hint: string }).hint}`).toMatch(message);
  });
});

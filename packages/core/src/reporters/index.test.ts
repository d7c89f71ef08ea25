import { describe, expect, it } from 'vitest';
import * as core from '../index.ts';
import * as reporters from './index.ts';

describe('the reporters barrel', () => {
  it('exports the public reporter API, also from the package root', () => {
    expect(Object.keys(reporters).sort()).toEqual([
      'INCOMPLETE', 'collectRun', 'combineParts', 'combinersNeeded', 'createConsoleReporter', 'createHtmlReporter', 'createJunitReporter', 'createNdjsonReporter', 'formatEvent',
      'mergeRuns', 'parseNdjson', 'readNdjsonFile', 'renderHtml', 'renderJunit', 'replay', 'synthesiseRunEnd',
    ]);
    for (const [name, value] of Object.entries(reporters)) expect(core[name as keyof typeof core]).toBe(value);
  });
});

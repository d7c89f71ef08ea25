import { describe, expect, it } from 'vitest';
import { markChecklist } from './marks.ts';
import { CHECKLIST_MARKS } from './types.ts';
import { coverageSummary } from './summary.ts';

describe('coverageSummary', () => {
  it('counts marks in total, per file and per section, in catalog order', () => {
    const summary = coverageSummary(
      markChecklist({
        results: [
          { id: 'a', status: 'pass', checklist: ['integration.api.endpoint.test-all-endpoints', 'test-setup.api.http-status-codes-verified'] },
          { id: 'b', status: 'fail', checklist: ['integration.api.endpoint.verify-response-codes'] },
          { id: 'c', status: 'skip', checklist: ['integration.performance.load.test-limits'] },
        ],
        checks: [{ id: 'd', checklist: ['test-setup.quick-check.no-real-external-service-calls'] }],
      }),
    );
    expect(Object.keys(summary.counts)).toEqual(['items', ...CHECKLIST_MARKS]);
    expect(summary.counts).toEqual({ items: 169, pass: 2, fail: 1, skip: 1, covered: 1, none: 164 });
    expect(summary.files.map((file) => [file.file, file.counts])).toEqual([
      ['integration', { items: 135, pass: 1, fail: 1, skip: 1, covered: 0, none: 132 }],
      ['test-setup', { items: 34, pass: 1, fail: 0, skip: 0, covered: 1, none: 32 }],
    ]);
    expect(summary.files[0]?.sections.map((section) => section.section)).toEqual([
      'API Integration', 'Database Integration', 'Cache Integration', 'Message Queue Integration', 'Service Integration',
      'External Integration', 'Data Integration', 'System Integration', 'Performance Integration',
    ]);
    expect(summary.files[0]?.sections[0]).toEqual({ section: 'API Integration', counts: { items: 15, pass: 1, fail: 1, skip: 0, covered: 0, none: 13 } });
    expect(summary.files[1]?.sections.at(-1)).toEqual({ section: 'Quick Check', counts: { items: 4, pass: 0, fail: 0, skip: 0, covered: 1, none: 3 } });
  });
});

import { describe, expect, it } from 'vitest';
import { parseChecklist } from './parse.ts';

const grouped = [
  '# Integration Testing Checklist',
  '',
  '## Database Integration',
  '- [ ] Connection Testing',
  '  - [ ] Test connectivity',
  '  - [x] Check pooling',
  '',
  '- [ ] Data Integrity',
  '  - [ ] Test migrations ',
].join('\n');

describe('parseChecklist', () => {
  it('reads sections, groups and items, trimming a trailing space on a last line without newline', () => {
    expect(parseChecklist(grouped, 'integration')).toMatchInlineSnapshot(`
      [
        {
          "file": "integration",
          "group": "Connection Testing",
          "id": "integration.database.connection.test-connectivity",
          "section": "Database Integration",
          "text": "Test connectivity",
        },
        {
          "file": "integration",
          "group": "Connection Testing",
          "id": "integration.database.connection.check-pooling",
          "section": "Database Integration",
          "text": "Check pooling",
        },
        {
          "file": "integration",
          "group": "Data Integrity",
          "id": "integration.database.data-integrity.test-migrations",
          "section": "Database Integration",
          "text": "Test migrations",
        },
      ]
    `);
  });

  it('reads flat items, ignores fenced code, empty sections and CRLF line ends', () => {
    const flat = [
      '# Integration Testing Checklist',
      '## Pre-Test Setup',
      '- [ ] Test database configured (sqlite :memory: or test container)',
      '## Example Verification',
      '```python',
      '# ✅ Database Test',
      '- [ ] not an item',
      '```',
      '## Quick Check',
      '',
      '- [ ] Tests run in < 5 seconds each',
    ].join('\r\n');
    expect(parseChecklist(flat, 'test-setup').map((item) => [item.id, item.section, item.text])).toEqual([
      ['test-setup.pre-test-setup.test-database-configured', 'Pre-Test Setup', 'Test database configured (sqlite :memory: or test container)'],
      ['test-setup.quick-check.tests-run-in-5-seconds-each', 'Quick Check', 'Tests run in < 5 seconds each'],
    ]);
    expect(parseChecklist(flat, 'test-setup')[0]).not.toHaveProperty('group');
  });

  it('fails loudly, naming the line, on a checkbox it cannot place', () => {
    expect(() => parseChecklist('- [ ] Orphan', 'test-setup')).toThrow('checklist/test-setup.md:1: "Orphan" is not under a "## Section" heading');
    expect(() => parseChecklist('## A\n  - [ ] Indented', 'integration')).toThrow(':2: "Indented" is indented but has no group above it');
    expect(() => parseChecklist('## A\n- [ ] G\n  - [ ] I\n    - [ ] Deeper', 'integration')).toThrow(':3: "I" nests deeper than section › group › item');
  });
});

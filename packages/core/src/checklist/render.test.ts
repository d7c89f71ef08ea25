import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog.generated.ts';
import { markChecklist } from './marks.ts';
import { renderChecklistMarkdown, renderChecklistText } from './render.ts';

const catalog = CATALOG.filter(
  (item) => item.group === 'Connection Testing' || (item.section === 'Database Testing' && !item.text.startsWith('In-memory')),
);

const marks = markChecklist({
  catalog,
  results: [
    { id: 'db.connection.connectivity', status: 'pass', checklist: ['integration.database.connection.test-connectivity'], target: { name: 'orders-db' } },
    { id: 'db.connection.connectivity', status: 'pass', checklist: ['integration.database.connection.test-connectivity'], target: { name: 'replica-db' } },
    { id: 'db.connection.pooling', status: 'fail', checklist: ['integration.database.connection.check-pooling'], target: { name: 'orders-db' } },
    { id: 'db.connection.pool_size', status: 'warn', checklist: ['integration.database.connection.check-pooling'], target: { name: 'orders-db' } },
    { id: 'db.connection.reconnect', status: 'error', checklist: ['integration.database.connection.test-reconnection'] },
    { id: 'db.tx.rollback', status: 'skip', checklist: ['test-setup.database.transactions-rollback-after-each-test'], target: { name: 'orders-db' } },
    { id: 'db.typo', status: 'pass', checklist: ['database.connection.verify-credentials'], target: { name: 'orders-db' } },
  ],
  checks: [{ id: 'db.schema.unique', checklist: ['test-setup.database.unique-constraints-tested'], target: { name: 'orders-db' } }],
});

describe('renderChecklistMarkdown', () => {
  it('renders a summary table, the headings and every item with its mark and checks', () => {
    expect(renderChecklistMarkdown(marks)).toMatchInlineSnapshot(`
      "# Checklist coverage

      | Checklist | Items | Covered | pass | FAIL | skip | not run | not covered |
      | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
      | Integration checklist (\`integration.md\`) | 5 | 3 | 1 | 2 | 0 | 0 | 2 |
      | Test setup checklist (\`test-setup.md\`) | 4 | 2 | 0 | 0 | 1 | 1 | 2 |
      | **All** | 9 | 5 | 1 | 2 | 1 | 1 | 4 |

      \`FAIL\` marks an item with a failing or erroring check; \`skip\`, one whose checks were all skipped;
      \`not run\`, one covered by a configured check without a result.

      ## Integration checklist (\`integration.md\`)

      ### Database Integration

      - [ ] Connection Testing — 1 pass · 2 FAIL · 2 not covered
        - [x] Test connectivity — pass: db.connection.connectivity (orders-db, replica-db)
        - [ ] Verify credentials — not covered
        - [ ] Check pooling — FAIL: db.connection.pooling (orders-db); warn: db.connection.pool\\_size (orders-db)
        - [ ] Test reconnection — ERROR: db.connection.reconnect
        - [ ] Monitor stability — not covered

      ## Test setup checklist (\`test-setup.md\`)

      ### Database Testing

      - [ ] Transactions rollback after each test — skip: db.tx.rollback (orders-db)
      - [ ] Unique constraints tested — covered, not run: db.schema.unique (orders-db)
      - [ ] Foreign key constraints verified — not covered
      - [ ] Index usage validated — not covered

      ## Unknown checklist ids

      Named by checks, but not in the catalog:

      - \`database.connection.verify-credentials\` — named by db.typo (orders-db); did you mean \`integration.database.connection.verify-credentials\`?
      "
    `);
  });

  it('renders the whole catalog: 17 sections, 27 groups, 169 items', () => {
    const markdown = renderChecklistMarkdown(markChecklist({}));
    const lines = markdown.split('\n');
    expect(lines.filter((line) => line.startsWith('### '))).toHaveLength(17);
    expect(lines.filter((line) => line.startsWith('- [ ] ') && line.endsWith(' not covered') && !line.endsWith('— not covered'))).toHaveLength(27);
    expect(lines.filter((line) => line.endsWith('— not covered'))).toHaveLength(169);
    expect(lines).toContain('### Message Queue Integration');
    expect(lines).toContain('### Retry & Error Handling');
    expect(lines).toContain('  - [ ] Monitor trends — not covered');
    expect(lines).toContain('- [ ] Async fixtures use `@pytest.fixture` + `async` — not covered');
  });

  it('ticks a group whose items all pass, and escapes Markdown in check ids and target names', () => {
    const group = CATALOG.filter((item) => item.group === 'Load Testing');
    const markdown = renderChecklistMarkdown(
      markChecklist({ catalog: group, results: [{ id: 'perf.*load*', status: 'pass', checklist: group.map((item) => item.id), target: { name: 'a|b' } }] }),
    );
    expect(markdown).toContain('- [x] Load Testing — 5 pass\n  - [x] Test throughput — pass: perf.\\*load\\* (a\\|b)\n');
  });
});

describe('renderChecklistText', () => {
  it('renders aligned marks without ANSI escapes by default', () => {
    const text = renderChecklistText(marks);
    expect(text).not.toMatch(/\u001b/);
    expect(text).toMatchInlineSnapshot(`
      "Checklist coverage  5/9 items covered: 1 pass · 2 FAIL · 1 skip · 1 not run · 4 not covered
      [✓] pass  [✗] fail or error  [–] skipped  [·] covered, not run  [ ] not covered

      Integration checklist (integration.md)  3/5 covered
        Database Integration  3/5
          Connection Testing  3/5
            [✓] Test connectivity  pass: db.connection.connectivity (orders-db, replica-db)
            [ ] Verify credentials
            [✗] Check pooling      FAIL: db.connection.pooling (orders-db); warn: db.connection.pool_size (orders-db)
            [✗] Test reconnection  ERROR: db.connection.reconnect
            [ ] Monitor stability

      Test setup checklist (test-setup.md)  2/4 covered
        Database Testing  2/4
          [–] Transactions rollback after each test  skip: db.tx.rollback (orders-db)
          [·] Unique constraints tested              covered, not run: db.schema.unique (orders-db)
          [ ] Foreign key constraints verified
          [ ] Index usage validated

      Unknown checklist ids (named by checks, not in the catalog)
        database.connection.verify-credentials  named by db.typo (orders-db) — did you mean integration.database.connection.verify-credentials?
      "
    `);
  });

  it('colours marks, verdicts and headings when asked', () => {
    const text = renderChecklistText(marks, { color: true });
    expect(text).toContain('\u001b[32m[✓]\u001b[39m Test connectivity');
    expect(text).toContain('\u001b[31mFAIL:\u001b[39m db.connection.pooling (orders-db)');
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(renderChecklistText(marks));
  });
});

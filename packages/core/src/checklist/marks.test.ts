import { describe, expect, it } from 'vitest';
import type { Status } from '../protocol/types.ts';
import { CATALOG } from './catalog.generated.ts';
import { markChecklist } from './marks.ts';
import type { ChecklistMarks } from './types.ts';

const CONNECTIVITY = 'integration.database.connection.test-connectivity';
const POOLING = 'integration.database.connection.check-pooling';
const CRUD = 'integration.database.query.test-crud-operations';

function result(id: string, status: Status, checklist: string[], target = 'orders-db') {
  return { id, status, checklist, target: { name: target } };
}

function markOf(marks: ChecklistMarks, id: string) {
  const item = marks.items.find((entry) => entry.id === id);
  if (!item) throw new Error(`no ${id}`);
  return { mark: item.mark, checks: item.checks };
}

describe('markChecklist', () => {
  it('marks every catalog item, in catalog order, none when nothing covers it', () => {
    const marks = markChecklist({});
    expect(marks.items.map((item) => item.id)).toEqual(CATALOG.map((item) => item.id));
    expect(new Set(marks.items.map((item) => item.mark))).toEqual(new Set(['none']));
    expect(marks.unknownIds).toEqual([]);
  });

  it.each<[Status, string]>([
    ['pass', 'pass'],
    ['warn', 'pass'],
    ['fail', 'fail'],
    ['error', 'fail'],
    ['skip', 'skip'],
  ])('a %s result marks its items %s', (status, mark) => {
    const marks = markChecklist({ results: [result('db.connection.connectivity', status, [CONNECTIVITY, CRUD])] });
    expect(markOf(marks, CONNECTIVITY)).toEqual({ mark, checks: [{ id: 'db.connection.connectivity', target: 'orders-db', status }] });
    expect(markOf(marks, CRUD).mark).toBe(mark);
  });

  it('one pass and one fail behind an item → fail, with both checks listed by id', () => {
    const marks = markChecklist({
      results: [result('db.pool.size', 'pass', [POOLING]), result('db.pool.exhaustion', 'fail', [POOLING], 'replica-db')],
    });
    expect(markOf(marks, POOLING)).toMatchInlineSnapshot(`
      {
        "checks": [
          {
            "id": "db.pool.exhaustion",
            "status": "fail",
            "target": "replica-db",
          },
          {
            "id": "db.pool.size",
            "status": "pass",
            "target": "orders-db",
          },
        ],
        "mark": "fail",
      }
    `);
  });

  it('pass and skip → pass (the skipped check stays listed); warn and error → fail', () => {
    const marks = markChecklist({
      results: [
        result('db.crud.read', 'pass', [CRUD]),
        result('db.crud.write', 'skip', [CRUD]),
        result('db.pool.size', 'warn', [POOLING]),
        result('db.pool.reconnect', 'error', [POOLING]),
      ],
    });
    expect(markOf(marks, CRUD)).toEqual({
      mark: 'pass',
      checks: [
        { id: 'db.crud.read', target: 'orders-db', status: 'pass' },
        { id: 'db.crud.write', target: 'orders-db', status: 'skip' },
      ],
    });
    expect(markOf(marks, POOLING).mark).toBe('fail');
  });

  it('configured checks without results → covered; a result of the same check replaces it', () => {
    const marks = markChecklist({
      checks: [
        { id: 'db.connection.connectivity', checklist: [CONNECTIVITY], target: { name: 'orders-db' } },
        { id: 'db.crud.roundtrip', checklist: [CRUD] },
      ],
      results: [result('db.connection.connectivity', 'pass', [CONNECTIVITY])],
    });
    expect(markOf(marks, CONNECTIVITY)).toEqual({ mark: 'pass', checks: [{ id: 'db.connection.connectivity', target: 'orders-db', status: 'pass' }] });
    expect(markOf(marks, CRUD)).toEqual({ mark: 'covered', checks: [{ id: 'db.crud.roundtrip' }] });
  });

  it('a configured check that did not run does not change the mark of an item with results', () => {
    const marks = markChecklist({
      checks: [{ id: 'db.pool.size', checklist: [POOLING], target: { name: 'orders-db' } }],
      results: [result('db.pool.exhaustion', 'pass', [POOLING])],
    });
    expect(markOf(marks, POOLING)).toEqual({
      mark: 'pass',
      checks: [
        { id: 'db.pool.exhaustion', target: 'orders-db', status: 'pass' },
        { id: 'db.pool.size', target: 'orders-db' },
      ],
    });
  });

  it('counts a check on a target once, with its worst status, however often it appears', () => {
    const marks = markChecklist({
      results: [
        result('db.connection.connectivity', 'pass', [CONNECTIVITY, CONNECTIVITY]),
        result('db.connection.connectivity', 'error', [CONNECTIVITY]),
        result('db.connection.connectivity', 'pass', [CONNECTIVITY]),
      ],
    });
    expect(markOf(marks, CONNECTIVITY)).toEqual({ mark: 'fail', checks: [{ id: 'db.connection.connectivity', target: 'orders-db', status: 'error' }] });
  });

  it('returns ids the catalog does not know separately, with the checks naming them and a suggestion', () => {
    const marks = markChecklist({
      results: [result('db.connection.connectivity', 'pass', [CONNECTIVITY, 'database.connection.test-connectivity', 'db.whatever'])],
      checks: [{ id: 'db.other', checklist: ['db.whatever'] }],
    });
    expect(marks.unknownIds).toMatchInlineSnapshot(`
      [
        {
          "checks": [
            {
              "id": "db.connection.connectivity",
              "status": "pass",
              "target": "orders-db",
            },
          ],
          "id": "database.connection.test-connectivity",
          "suggestion": "integration.database.connection.test-connectivity",
        },
        {
          "checks": [
            {
              "id": "db.connection.connectivity",
              "status": "pass",
              "target": "orders-db",
            },
            {
              "id": "db.other",
            },
          ],
          "id": "db.whatever",
        },
      ]
    `);
    expect(markOf(marks, CONNECTIVITY).mark).toBe('pass');
  });

  it('marks a given catalog instead of the whole one', () => {
    const catalog = CATALOG.filter((item) => item.id === CRUD);
    const marks = markChecklist({ catalog, results: [result('db.crud.read', 'pass', [CRUD, CONNECTIVITY])] });
    expect(marks.items.map((item) => [item.id, item.mark])).toEqual([[CRUD, 'pass']]);
    expect(marks.unknownIds.map((unknown) => unknown.id)).toEqual([CONNECTIVITY]);
  });
});

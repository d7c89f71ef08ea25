import type { SqlClient } from './types.ts';

const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*;?\s*$/i;
const COMMIT = /^\s*(commit|end)(\s+(work|transaction))?\s*;?\s*$/i;
const ROLLBACK = /^\s*rollback(\s+(work|transaction))?\s*;?\s*$/i;

/**
 * Wrap a connection that is inside the test's transaction: a transaction the
 * code under test opens becomes a savepoint, its COMMIT releases the savepoint
 * and its ROLLBACK rolls back to it — so the test's own ROLLBACK still undoes
 * everything (the pg-transactional-tests approach).
 */
export function nestedTransactions(client: SqlClient): SqlClient {
  let depth = 0;
  return {
    query(text, params) {
      if (typeof text === 'string' && !params?.length) {
        if (BEGIN.test(text)) {
          depth += 1;
          return client.query(`savepoint probe_test_${depth}`);
        }
        if (COMMIT.test(text) && depth > 0) return client.query(`release savepoint probe_test_${depth--}`);
        if (ROLLBACK.test(text) && depth > 0) {
          const level = depth--;
          return client.query(`rollback to savepoint probe_test_${level}`).then(() => client.query(`release savepoint probe_test_${level}`));
        }
      }
      return client.query(text, params);
    },
  };
}

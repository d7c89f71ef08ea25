import { describe, expect, it } from 'vitest';
import { CATALOG, ITEMS } from './catalog.generated.ts';

const SEGMENT = '[a-z0-9]+(?:-[a-z0-9]+)*';
const INTEGRATION_ID = new RegExp(`^integration\\.${SEGMENT}\\.${SEGMENT}\\.${SEGMENT}$`);
const TEST_SETUP_ID = new RegExp(`^test-setup\\.${SEGMENT}\\.${SEGMENT}$`);

const integration = CATALOG.filter((item) => item.file === 'integration');
const testSetup = CATALOG.filter((item) => item.file === 'test-setup');

function leaves(tree: object): string[] {
  return Object.values(tree).flatMap((value: unknown) => (typeof value === 'string' ? [value] : leaves(value as object)));
}

describe('CATALOG', () => {
  it('has 135 integration items (9 sections × 3 groups × 5 items) and 34 test-setup items, integration first', () => {
    expect(integration).toHaveLength(135);
    expect(testSetup).toHaveLength(34);
    expect(CATALOG).toEqual([...integration, ...testSetup]);
    expect(new Set(integration.map((item) => item.section)).size).toBe(9);
    expect(new Set(integration.map((item) => `${item.section}/${item.group}`)).size).toBe(27);
    expect(new Set(testSetup.map((item) => item.section))).toEqual(
      new Set(['Pre-Test Setup', 'Database Testing', 'API Testing', 'Async Testing', 'External Dependencies', 'Retry & Error Handling', 'Test Data', 'Quick Check']),
    );
  });

  it('has unique, well-formed ids; integration items have a group, test-setup items none', () => {
    expect(new Set(CATALOG.map((item) => item.id)).size).toBe(CATALOG.length);
    for (const item of integration) {
      expect(item.id).toMatch(INTEGRATION_ID);
      expect(item.group).toBeTypeOf('string');
    }
    for (const item of testSetup) {
      expect(item.id).toMatch(TEST_SETUP_ID);
      expect(item).not.toHaveProperty('group');
    }
  });

  it('keeps titles and texts as written', () => {
    expect(CATALOG.find((item) => item.id === 'integration.database.connection.test-connectivity')).toEqual({
      id: 'integration.database.connection.test-connectivity',
      file: 'integration',
      section: 'Database Integration',
      group: 'Connection Testing',
      text: 'Test connectivity',
    });
    expect(CATALOG.at(-1)).toEqual({
      id: 'test-setup.quick-check.coverage-tracks-integration-paths',
      file: 'test-setup',
      section: 'Quick Check',
      text: 'Coverage tracks integration paths',
    });
  });

  it.each([
    'integration.api.endpoint.test-all-endpoints',
    'integration.api.data-flow.test-request-response',
    'integration.cache.cache-operations.test-read-write',
    'integration.message-queue.message-processing.check-dead-letters',
    'integration.external.third-party-services.check-rate-limits',
    'integration.data.data-flow.test-pipelines',
    'integration.performance.load.test-throughput',
    'integration.performance.system-performance.monitor-trends',
    'test-setup.pre-test-setup.test-database-configured',
    'test-setup.database.in-memory-database-for-speed',
    'test-setup.async.async-fixtures-use-pytest-fixture-async',
    'test-setup.retry-error-handling.permanent-errors-dont-retry',
    'test-setup.quick-check.tests-run-in-5-seconds-each',
  ])('has %s', (id) => {
    expect(CATALOG.map((item) => item.id)).toContain(id);
  });

  it('names every item once in ITEMS, in catalog order', () => {
    expect(ITEMS.integration.database.connection.testConnectivity).toBe('integration.database.connection.test-connectivity');
    expect(ITEMS.testSetup.retryErrorHandling.permanentErrorsDontRetry).toBe('test-setup.retry-error-handling.permanent-errors-dont-retry');
    expect(leaves(ITEMS)).toEqual(CATALOG.map((item) => item.id));
  });
});

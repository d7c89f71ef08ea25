import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog.generated.ts';
import { findItem, isKnownItem, ITEM_IDS, suggestItemId } from './lookup.ts';

describe('lookup', () => {
  it('finds items by id', () => {
    expect(ITEM_IDS.size).toBe(CATALOG.length);
    expect(findItem('integration.cache.cache-strategy.verify-hit-rates')?.text).toBe('Verify hit rates');
    expect(findItem('integration.cache.cache-strategy.verify-hit-rate')).toBeUndefined();
    expect(isKnownItem('test-setup.test-data.data-cleanup-after-tests')).toBe(true);
    expect(isKnownItem('test-setup.test-data')).toBe(false);
  });

  it('suggests the id a typo or a missing prefix meant, and nothing for a stranger', () => {
    expect(suggestItemId('integration.database.conection.test-connectivity')).toBe('integration.database.connection.test-connectivity');
    expect(suggestItemId('database.connection.check-pooling')).toBe('integration.database.connection.check-pooling');
    expect(suggestItemId('quick-check.no-real-external-service-calls')).toBe('test-setup.quick-check.no-real-external-service-calls');
    expect(suggestItemId('integration.database.connection.test-connectivity')).toBe('integration.database.connection.test-connectivity');
    expect(suggestItemId('db.pool')).toBeUndefined();
    expect(suggestItemId('test-connectivity')).toBeUndefined(); // two items end with it: no guess
  });
});

import { describe, expect, it } from 'vitest';
import { camel, groupSlug, itemSlug, kebab, sectionSlug } from './slug.ts';

describe('id segments', () => {
  it.each([
    ['API Integration', 'api'],
    ['Message Queue Integration', 'message-queue'],
    ['Database Testing', 'database'],
    ['Retry & Error Handling', 'retry-error-handling'],
    ['Pre-Test Setup', 'pre-test-setup'],
    ['External Dependencies', 'external-dependencies'],
  ])('section %j → %j', (title, slug) => {
    expect(sectionSlug(title)).toBe(slug);
  });

  it.each([
    ['Connection Testing', 'connection'],
    ['Cache Operations', 'cache-operations'],
    ['Load Testing', 'load'],
    ['Third-Party Services', 'third-party-services'],
    ['Component Integration', 'component-integration'],
  ])('group %j → %j', (title, slug) => {
    expect(groupSlug(title)).toBe(slug);
  });

  it.each([
    ['Test connectivity', 'test-connectivity'],
    ['Test request/response', 'test-request-response'],
    ['Verify SLAs', 'verify-slas'],
    ['Test database configured (sqlite :memory: or test container)', 'test-database-configured'],
    ['In-memory database for speed (`sqlite:///:memory:`)', 'in-memory-database-for-speed'],
    ['Async fixtures use `@pytest.fixture` + `async`', 'async-fixtures-use-pytest-fixture-async'],
    ['Async mocks use `assert_awaited_once()`', 'async-mocks-use-assert-awaited-once'],
    ['Error responses tested (400, 401, 404, 500)', 'error-responses-tested'],
    ["Permanent errors don't retry", 'permanent-errors-dont-retry'],
    ['Tests run in < 5 seconds each', 'tests-run-in-5-seconds-each'],
    ['Nested (parts (like this)) go too', 'nested-go-too'],
  ])('item %j → %j', (text, slug) => {
    expect(itemSlug(text)).toBe(slug);
  });

  it('folds accents and curly apostrophes', () => {
    expect(kebab('Café’s  Résumé!')).toBe('cafes-resume');
  });

  it('refuses a title with nothing to make an id from', () => {
    expect(() => itemSlug('(only a remark)')).toThrow(/no letters or digits/);
    expect(() => sectionSlug('&')).toThrow(/"&"/);
  });

  it('camel-cases slugs for the ITEMS constants', () => {
    expect(camel('message-queue')).toBe('messageQueue');
    expect(camel('test-setup')).toBe('testSetup');
    expect(camel('tests-run-in-5-seconds-each')).toBe('testsRunIn5SecondsEach');
  });
});

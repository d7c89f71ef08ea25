/**
 * Sums the vitest JSON results of every package into one closing line,
 * `N passed, N failed, N skipped`, and fails when a package wrote none
 * (its test run crashed before reporting) or when no test ran at all.
 * Failed tests are named, with the first line of their failure, right above
 * that line, so the tail of a CI log says what broke; tests that passed only
 * on their retry (CI) are named as flaky.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of vitest's JSON report this summary reads. */
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
const failures: string[] = [];
const flaky: string[] = [];
for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const manifest = join(dir, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const scripts = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    if (!scripts.test) continue;
    const file = join(dir, name, 'test-results', 'vitest.json');
    if (!existsSync(file)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    for (const suite of report.testResults ?? []) {
      const path = suite.name.slice(root.length);
      for (const test of suite.assertionResults ?? []) {
        const first = (test.failureMessages?.[0] ?? '').split('\n')[0]?.slice(0, 300) ?? '';
        if (test.status === 'passed' && first !== '') flaky.push(`  FLAKY ${path} > ${test.fullName}\n       first try: ${first}`);
        if (test.status !== 'failed') continue;
        failures.push(`  FAIL ${path} > ${test.fullName}\n       ${first}`);
      }
      if (suite.status === 'failed' && (suite.assertionResults ?? []).every((test) => test.status !== 'failed')) {
        failures.push(`  FAIL ${path}: ${(suite.message ?? 'the file failed outside any test').split('\n')[0]}`);
      }
    }
  }
}
if (flaky.length > 0) console.log(`probe: ${flaky.length} test(s) passed only on their retry\n${flaky.join('\n')}`);
if (failures.length > 0) console.log(`probe: failed tests\n${failures.join('\n')}`);
if (missing.length > 0) console.log(`probe: no test results from ${missing.join(', ')} (their test run did not finish)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped${flaky.length > 0 ? ` (${flaky.length} flaky)` : ''}`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);

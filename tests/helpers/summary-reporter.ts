import type { Reporter, TestModule } from 'vitest/node';

/**
 * After Vitest's own report, one plain closing line that any CI can read: `Tests: N passed, N failed, N skipped`,
 * and how many files failed outside their tests (an afterAll that threw, e.g. tests/setup-temp.ts finding leftovers;
 * a file that did not load), which no test's count shows.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const files = testModules.filter((module) => module.errors().length > 0).length;
    const outside = files > 0 ? `; ${files} file${files === 1 ? '' : 's'} failed outside their tests` : '';
    process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${outside}\n`);
  }
}

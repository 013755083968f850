// Prints "N passed, N failed[, N skipped]" from vitest's JSON report: CI's counter reads this line, not vitest's.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}: the test run did not get far enough to write one`);
  process.exit(0);
}
// A test file that failed to load has no failed test of its own: count it once, as a failure.
const brokenFiles = report.testResults.filter(
  (r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed'),
).length;
const failed = report.numFailedTests + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// CI's counter reads the last line as exactly `N passed, N failed`: what was skipped is said on the line before.
if (skipped) console.log(`${skipped} skipped`);
console.log(`${report.numPassedTests} passed, ${failed} failed`);

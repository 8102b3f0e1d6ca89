// Prints the closing line CI reads: "N passed, N failed, N skipped" (tests, not suites).
// A suite that failed to load (syntax error, missing module) counts as one failure, so a
// broken file can never disappear from the count.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const suiteErrors = results.testResults.filter(
      (r) => r.testExecError || (r.failureMessage && r.numFailingTests === 0),
    ).length;
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + suiteErrors;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
    // .ci/run prints this again as the very last line of the whole run.
    const fs = require('node:fs');
    fs.mkdirSync('.lab', { recursive: true });
    fs.writeFileSync('.lab/test-summary.txt', `${line}\n`);
  }
}
module.exports = SummaryReporter;

// Prints the closing line of a test run in the plain form CI reads ("Tests: N passed, N failed,
// N skipped"), from vitest's JSON report, and exits with vitest's own status.
import { readFileSync } from 'node:fs'

const [reportPath, status = '0'] = process.argv.slice(2)
let report
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'))
} catch (error) {
  console.error(`no test report at ${reportPath}: ${error.message}`)
  process.exit(Number(status) || 1)
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`)
process.exit(Number(status) || (report.numFailedTests > 0 || report.numPassedTests === 0 ? 1 : 0))

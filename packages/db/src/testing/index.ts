/** Test helpers of @tln/db, imported as `@tln/db/testing` by test files only. */
export { createTestDataDir, createTestDb, testEngine, testServerUrl } from './test-db.ts'
export { migrations } from '../migrations/index.ts'
export { waitForHorizon } from './wait-for-horizon.ts'

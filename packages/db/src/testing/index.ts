/** Test helpers of @tln/db, imported as `@tln/db/testing` by test files only. */
export { createTestDb, testEngine, testServerUrl } from './test-db.ts'
export { migrations } from '../migrations/index.ts'

import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/**
 * Unit tests are engine-independent and run once. Integration tests (`*.int.test.ts`) touch the
 * database and run twice: once on embedded PGlite and once on the PostgreSQL server
 * (ARCHITECTURE.md, "One SQL dialect": tests run on both).
 */
const integration = ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts', 'apps/*/test/**/*.int.test.ts', 'test/**/*.int.test.ts', 'lti-tool/**/*.int.test.ts']

export default defineConfig({
  test: {
    // vitest runs `cores - 1` files at a time: one on a 2-core CI machine, which then sits idle while a
    // test waits for PostgreSQL, Chromium or a child process. Two at a time there took the full run from
    // 15.8 to 9.4 min (docs/performance-notes.md, "The test suite's wall time"); more cores keep vitest's
    // own default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/**/*.test.ts', 'test/**/*.test.ts', 'lti-tool/src/**/*.test.ts', 'lti-tool/test/**/*.test.ts'],
          exclude: [...integration, '**/node_modules/**'],
          // Some unit tests generate RSA keys or scrypt hashes: seconds on a loaded 2-core CI machine.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'pglite',
          include: integration,
          env: { TLN_TEST_ENGINE: 'pglite' },
          globalSetup: ['packages/db/src/testing/pglite-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: integration,
          env: { TLN_TEST_ENGINE: 'postgres' },
          globalSetup: ['packages/db/src/testing/postgres-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})

/**
 * @tln/xapi: the xAPI data model and its rules, pure (no I/O).
 * Public API of the package: nothing outside imports from other files here.
 */
export * from './errors.ts'
export type * from './types.ts'

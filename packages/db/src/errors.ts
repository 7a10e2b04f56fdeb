/** Errors of the storage layer, with stable codes; HTTP mapping happens at the edge. */
export type DbErrorCode = 'ERR_DB_UNAVAILABLE' | 'ERR_DB_CONFIG'

export class DbError extends Error {
  constructor(readonly code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DbError'
  }
}

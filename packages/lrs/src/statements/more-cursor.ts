import { LrsError } from '../errors.ts'

/**
 * The state a `more` link carries: the original query parameters, the position after the last
 * statement served and the snapshot bound, so that paging walks one stable result set
 * (xAPI 1.0.3 Communication 2.1.3, StatementResult `more`). Opaque to clients.
 */
export interface MoreCursor {
  params: Record<string, string>
  after: number
  snapshot: number
}

export function encodeMoreCursor(cursor: MoreCursor): string {
  return Buffer.from(JSON.stringify([cursor.params, cursor.after, cursor.snapshot])).toString('base64url')
}

export function decodeMoreCursor(token: string): MoreCursor {
  try {
    const [params, after, snapshot] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[]
    if (typeof params === 'object' && params !== null && Number.isSafeInteger(after) && Number.isSafeInteger(snapshot)) {
      const clean: Record<string, string> = {}
      for (const [name, value] of Object.entries(params)) if (typeof value === 'string') clean[name] = value
      return { params: clean, after: after as number, snapshot: snapshot as number }
    }
  } catch {
    // fall through to the error below
  }
  throw new LrsError('ERR_LRS_BAD_REQUEST', 'more must be a token from a StatementResult more link', 'more')
}

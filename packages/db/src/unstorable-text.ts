/**
 * Errors that mean "this request carried text PostgreSQL cannot store": a NUL character (U+0000)
 * in a text value (SQLSTATE 22021 character_not_in_repertoire, "invalid byte sequence for
 * encoding UTF8: 0x00") or in a jsonb string (22P05 untranslatable_character, "unsupported
 * Unicode escape sequence"). The statement failed, so nothing was written by it; the answer is
 * 400, not 500. Same codes on PGlite and on a PostgreSQL server.
 */
const CODES = new Set(['22021', '22P05'])

export function isUnstorableText(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code } = error as { code?: unknown }
  return typeof code === 'string' && CODES.has(code)
}

/** The message for a client whose input held such text. */
export const UNSTORABLE_TEXT_MESSAGE = 'a text value contains a NUL character (U+0000), which cannot be stored; remove it and send again'

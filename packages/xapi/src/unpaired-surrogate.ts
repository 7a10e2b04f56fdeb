/**
 * JSON text whose strings hold an unpaired UTF-16 surrogate escape (`"\ud800"`, `"\udfff"`).
 * RFC 8259 §8.2: such a string is allowed by the grammar but "the behavior of software that
 * receives JSON texts containing such values is unpredictable". In TLN it was: PostgreSQL's jsonb
 * refuses the escape (an Activity definition answered 500, the competence engine stopped on the
 * statement for good), and UTF-8 cannot encode a lone surrogate, so hashing an IFI turned
 * `mailto:a\ud800@x` and `mailto:a\udfff@x` into the same U+FFFD key. An xAPI string is Unicode
 * text; TLN refuses these escapes at the boundary, before anything is stored.
 *
 * Only escapes need looking at: text decoded from UTF-8 never holds a raw surrogate (the decoder
 * writes U+FFFD), and outside strings a JSON text has no backslash.
 */

/** `\uD800`–`\uDFFF` written as an escape, preceded by any run of backslashes. */
const SURROGATE_ESCAPE = /\\+u[dD][89a-fA-F][0-9a-fA-F]{2}/g
/** A cheap first look: most bodies hold no surrogate escape at all. */
const ANY_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

/**
 * The index of the first unpaired surrogate escape in `text` (a high one not followed by a low
 * one, or a low one not preceded by a high one), or -1 when there is none. `\\ud800` (an escaped
 * backslash, then the letters) is not an escape. Linear in the length of `text`.
 */
export function unpairedSurrogateAt(text: string): number {
  if (!ANY_SURROGATE_ESCAPE.test(text)) return -1
  SURROGATE_ESCAPE.lastIndex = 0
  let match: RegExpExecArray | null
  while ((match = SURROGATE_ESCAPE.exec(text)) !== null) {
    const backslashes = match[0].length - 5
    // An even run is escaped backslashes followed by plain letters.
    if (backslashes % 2 === 0) continue
    const at = match.index + backslashes - 1
    const high = /[89abAB]/.test(text[at + 3]!)
    if (!high) return at
    // A high surrogate must be followed at once by a low one, itself an escape.
    if (!/^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(text.slice(at + 6, at + 12))) return at
    SURROGATE_ESCAPE.lastIndex = at + 12
  }
  return -1
}

/**
 * IRI, IRL and mailto IRI checks (xAPI 1.0.3 Data 4.3 and 2.2.s4.b1.b8; RFC 3987).
 *
 * Best-effort, as the spec allows: "The LRS MAY use best-effort validation for IRL and IRI formats to
 * satisfy the non-format-following rejection requirement" (Data 2.2.s4.b6). What it MUST catch:
 * "IRL or IRI values without a scheme" (Data 2.2.s4.b1.b8) and the empty string (Data 2.2.s4.b1.b4).
 */

/** An absolute IRI: an RFC 3986 scheme, a colon, then at least one character that an IRI may hold. */
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/u

/** True if `value` is an absolute IRI (scheme required; relative references and fragments fail). */
export function isIri(value: unknown): value is string {
  return typeof value === 'string' && ABSOLUTE_IRI.test(value)
}

/** True if `value` is an IRL: an absolute IRI that a WHATWG URL parser can also resolve. */
export function isIrl(value: unknown): value is string {
  return isIri(value) && URL.canParse(value)
}

/**
 * `mailto:` then an address with one `@` and no whitespace or control characters (xAPI 1.0.3 Data
 * 2.4.2.3, "mailto:email address"; RFC 6068 §2 and RFC 5322 §3.4.1 allow no control character in
 * an address). A NUL in an mbox had reached the database as text and failed there (a 500).
 */
const MAILTO = /^mailto:[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+$/u

/** True if `value` is a mailto IRI as required for `mbox`. */
export function isMailtoIri(value: unknown): value is string {
  return typeof value === 'string' && MAILTO.test(value)
}

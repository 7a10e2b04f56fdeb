/**
 * RFC 5646 language tag check for language-map keys and `context.language`
 * (xAPI 1.0.3 Data 4.2; "The LRS MUST at least validate that the sequence of token lengths for
 * language map keys matches the RFC 5646 standard", Data 2.2.s4.b2).
 *
 * Syntax only (the RFC 5646 §2.1 ABNF); subtags are not checked against the IANA registry, which
 * the spec allows as best effort (Data 2.2.s4.b7).
 */
const LANGUAGE = '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})'
const SCRIPT = '(?:-[a-z]{4})?'
const REGION = '(?:-(?:[a-z]{2}|[0-9]{3}))?'
const VARIANTS = '(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*'
const EXTENSIONS = '(?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*'
const PRIVATE_USE = 'x(?:-[a-z0-9]{1,8})+'
const LANGTAG = `${LANGUAGE}${SCRIPT}${REGION}${VARIANTS}${EXTENSIONS}(?:-${PRIVATE_USE})?`
const IRREGULAR =
  'en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de'
const TAG = new RegExp(`^(?:${LANGTAG}|${PRIVATE_USE}|${IRREGULAR})$`, 'iu')

/** True if `value` is a well-formed RFC 5646 language tag (e.g. `en`, `en-US`, `zh-Hant-TW`, `tlh`). */
export function isLanguageTag(value: unknown): value is string {
  return typeof value === 'string' && TAG.test(value)
}

/**
 * RFC 5646 language tag check for language-map keys and `context.language`
 * (xAPI 1.0.3 Data 4.2; "The LRS MUST at least validate that the sequence of token lengths for
 * language map keys matches the RFC 5646 standard", Data 2.2.s4.b2).
 *
 * The RFC 5646 §2.1 ABNF plus the two rules it cannot express: a variant (§2.2.5) and an
 * extension singleton (§2.2.6) appear at most once, so `ar-a-aaa-b-bbb-a-ccc` (Appendix A's
 * "Some Invalid Tags") is rejected. Subtags are not checked against the IANA registry, which the
 * spec allows as best effort (Data 2.2.s4.b7).
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
const VARIANT = /^(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})$/u

/** True if `value` is a valid RFC 5646 language tag (e.g. `en`, `en-US`, `zh-Hant-TW`, `tlh`). */
export function isLanguageTag(value: unknown): value is string {
  if (typeof value !== 'string' || !TAG.test(value)) return false
  // A repeat needs two subtags after the language: `en`, `en-US` (most keys, on every statement) skip the walk.
  return value.indexOf('-') === value.lastIndexOf('-') || !repeatsSubtag(value)
}

/** A variant or singleton used twice before any private use part (RFC 5646 §2.2.5 item 5, §2.2.6 item 3). */
function repeatsSubtag(tag: string): boolean {
  const seen = new Set<string>()
  let inExtension = false
  for (const subtag of tag.toLowerCase().split('-').slice(1)) {
    if (subtag === 'x') return false
    if (subtag.length === 1) inExtension = true
    // Extension subtags may repeat; only the singletons and the variants before them may not.
    else if (inExtension || !VARIANT.test(subtag)) continue
    if (seen.has(subtag)) return true
    seen.add(subtag)
  }
  return false
}

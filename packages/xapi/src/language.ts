/**
 * Language choice for `format=canonical` (xAPI 1.0.3 Communication §2.1.3.s4 "Language Filtering
 * Requirements for Canonical Format Statements"): the LRS "MUST apply the Accept-Language header as
 * described in RFC 2616 ... to each language map individually". RFC 7231 §5.3.5 (which obsoletes
 * RFC 2616 §14.4) defines the header; RFC 4647 §3 defines how a range matches a tag.
 */
import type { LanguageMap } from './types.ts'

/** `language-range [ OWS ";" OWS "q=" qvalue ]` (RFC 7231 §5.3.1, §5.3.5; RFC 4647 §2.1). */
const RANGE = /^(\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/
const WEIGHT = /^[qQ]=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * Parses an `Accept-Language` header into language ranges, most preferred first (RFC 7231 §5.3.5).
 *
 * Ranges are ordered by descending `q` (default 1); equal weights keep header order. A range with
 * `q=0` means "not acceptable" (RFC 7231 §5.3.1) and is dropped. The header is advice, not input
 * to reject: a malformed element is skipped, and a missing or empty header gives `[]`. `*` is kept
 * (it means "any language"). Ranges are returned as sent; matching is case-insensitive.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (header === undefined) return []
  const ranges: { range: string; q: number; index: number }[] = []
  header.split(',').forEach((element, index) => {
    const [rawRange, ...params] = element.split(';').map((part) => part.trim())
    if (rawRange === undefined || !RANGE.test(rawRange)) return
    let q = 1
    for (const param of params) {
      const weight = WEIGHT.exec(param)
      if (weight === null) return // a malformed weight makes the whole element unusable
      q = Number(weight[1])
    }
    if (q > 0) ranges.push({ range: rawRange, q, index })
  })
  ranges.sort((a, b) => b.q - a.q || a.index - b.index)
  return ranges.map((r) => r.range)
}

/** Tag `tag` is `range` or starts with `range` followed by `-` (RFC 4647 §3.3.1 basic filtering). */
function rangeMatches(range: string, tag: string): boolean {
  const r = range.toLowerCase(), t = tag.toLowerCase()
  return t === r || t.startsWith(`${r}-`)
}

/**
 * Picks the one best entry of a language map for the preferred ranges (xAPI 1.0.3 Communication
 * §2.1.3.s4.b1: "The LRS MUST return only one language in each of these maps").
 *
 * For each range in order of preference: an entry whose tag equals it (case-insensitively, tags are
 * case-insensitive by RFC 5646 §2.1.1); else an entry whose tag it is a prefix of (`id` matches
 * `id-ID`, RFC 4647 §3.3.1); else an entry found by truncating the range (`id-ID` finds `id`,
 * RFC 4647 §3.4 lookup); `*` takes the map's first entry. When no range matches: the `und`
 * (undetermined, RFC 5646 §4.1) entry, else the first entry, because the spec requires one language
 * and says nothing of an empty answer.
 *
 * @returns a map of one entry (key as stored), or `{}` for an empty map.
 */
export function pickLanguage(map: LanguageMap, preferred: readonly string[]): LanguageMap {
  const tags = Object.keys(map)
  const entry = (tag: string | undefined): LanguageMap => (tag === undefined ? {} : { [tag]: map[tag] ?? '' })
  if (tags.length === 0) return {}
  for (const range of preferred) {
    if (range === '*') return entry(tags[0])
    const exact = tags.find((tag) => tag.toLowerCase() === range.toLowerCase())
    if (exact !== undefined) return entry(exact)
    const narrower = tags.find((tag) => rangeMatches(range, tag))
    if (narrower !== undefined) return entry(narrower)
    const subtags = range.split('-')
    for (let n = subtags.length - 1; n > 0; n--) {
      const truncated = subtags.slice(0, n).join('-').toLowerCase()
      const broader = tags.find((tag) => tag.toLowerCase() === truncated)
      if (broader !== undefined) return entry(broader)
    }
  }
  return entry(tags.find((tag) => tag.toLowerCase() === 'und') ?? tags[0])
}

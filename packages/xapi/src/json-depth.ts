/**
 * The deepest JSON nesting TLN accepts in a request body (statements, documents, imports). xAPI
 * sets no limit, but JSON.stringify and PostgreSQL's jsonb both recurse: a body nested ~10,000
 * deep parsed fine and then failed while being stored (a 500, issue 7). Real content nests a few
 * levels (extensions, interaction definitions); SQL LRS's JSON reader stops at 1,000; 256 stays far
 * below every recursion in the path on both engines.
 */
export const MAX_JSON_DEPTH = 256

const OPEN_OBJECT = 0x7b // {
const OPEN_ARRAY = 0x5b // [
const CLOSE_OBJECT = 0x7d // }
const CLOSE_ARRAY = 0x5d // ]
const QUOTE = 0x22 // "
const BACKSLASH = 0x5c // \

/**
 * True when `text`, read as JSON, opens more than `limit` objects and arrays inside each other.
 * One pass over the characters, no recursion and no parse, brackets inside strings ignored, so it
 * can run before `JSON.parse` on any body; it stops at the first bracket past the limit. Text that
 * is not JSON gives some answer; `JSON.parse` judges it afterwards.
 */
export function jsonNestsDeeperThan(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) {
      inString = true
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return true
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--
    }
  }
  return false
}

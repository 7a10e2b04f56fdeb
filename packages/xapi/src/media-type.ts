/**
 * Internet media type check for attachment `contentType` (xAPI 1.0.3 Data 2.4.11, RFC 2046):
 * `type/subtype` of RFC 7230 tokens, then optional `; name=value` parameters.
 */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+"
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"'
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`, 'u')

/** True if `value` is an Internet media type such as `text/plain; charset=ascii`. */
export function isMediaType(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_TYPE.test(value)
}

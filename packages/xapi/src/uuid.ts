/**
 * UUID check (xAPI 1.0.3 Data 4.4: "UUIDs MUST be in the standard string form").
 *
 * Any version and any variant is accepted: the spec's own example statement uses
 * `12345678-1234-5678-1234-567812345678`, which is not an RFC 4122 variant. Hex digits are
 * case-insensitive (RFC 4122 §3: "case insensitive on input").
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu

/** True if `value` is a UUID in the 8-4-4-4-12 hexadecimal string form. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

import { createHash } from 'node:crypto'

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5: SHA-1 of namespace and name). Statement ids and
 * registrations derived from stable names make a producer idempotent: sending the same
 * statement twice stores it once (xAPI 1.0.3 Communication 2.1.2: the same id with the same
 * content is not an error and is not stored again). Used by the demo seed and the LTI tool.
 */
export function nameUuid(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')
  if (ns.length !== 16) throw new TypeError(`namespace must be a UUID, got ${namespace}`)
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

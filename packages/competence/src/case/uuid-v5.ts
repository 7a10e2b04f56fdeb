/**
 * Name-based UUIDs, version 5 (SHA-1), RFC 9562 §5.5 (formerly RFC 4122 §4.3): the same namespace
 * and name always give the same UUID, so a framework exported twice keeps its CASE identifiers
 * (CASE 1.0: `identifier` is "an unambiguous, synthetic, globally unique identifier").
 */
import { createHash } from 'node:crypto'

/**
 * TLN's namespace for CASE identifiers. Generated once at random; NEVER change it: every exported
 * CFDocument, CFItem, CFAssociation and CFRubric identifier derives from it.
 */
export const TLN_CASE_NAMESPACE = '587f9bfd-18ed-4fa2-97c4-89670d023cba'

/** RFC 9562 §5.5: SHA-1 of namespace bytes + UTF-8 name, version 5, variant 10xx. */
export function uuidV5(name: string, namespace: string = TLN_CASE_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/gu, ''), 'hex')
  if (ns.length !== 16) throw new TypeError(`namespace is not a UUID: ${namespace}`)
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

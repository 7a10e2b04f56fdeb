/**
 * Hex-encoded hash checks: `mbox_sha1sum` (xAPI 1.0.3 Data 2.4.2.3) and attachment `sha2`
 * (Data 2.4.11). Either case is accepted.
 */
const SHA1 = /^[0-9a-f]{40}$/iu
/** SHA-224, SHA-256, SHA-384 or SHA-512 (SHA-512/224 and /256 share the first two lengths). */
const SHA2 = /^(?:[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/iu

/** True if `value` is a hex-encoded SHA-1 digest (40 hex digits). */
export function isSha1Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA1.test(value)
}

/** True if `value` is a hex-encoded SHA-2 digest (56, 64, 96 or 128 hex digits). */
export function isSha2Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA2.test(value)
}

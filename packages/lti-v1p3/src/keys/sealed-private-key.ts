import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { JWK } from 'jose'
import { LtiError } from '../errors.ts'

const VERSION = 'v1'

/**
 * Encrypt a private JWK for storage at rest with AES-256-GCM (NIST SP 800-38D): a fresh 96-bit IV
 * per seal, the `kid` bound as additional authenticated data so a sealed key cannot be swapped
 * onto another row. Output: `v1.<iv>.<ciphertext>.<tag>` in base64url. Pure: no I/O.
 *
 * @param secret - 32 bytes from configuration (e.g. `TLN_KEY_ENCRYPTION_KEY`, base64-decoded).
 */
export function sealPrivateKey(privateJwk: JWK, kid: string, secret: Uint8Array): string {
  checkSecret(secret)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secret, iv)
  cipher.setAAD(Buffer.from(kid, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()])
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
}

/** Decrypt what `sealPrivateKey` produced; fails with `ERR_LTI_SEALED_KEY_INVALID` on a wrong secret, kid or tampering. */
export function openPrivateKey(sealed: string, kid: string, secret: Uint8Array): JWK {
  checkSecret(secret)
  const [version, iv, ciphertext, tag, ...rest] = sealed.split('.')
  if (version !== VERSION || !iv || !ciphertext || !tag || rest.length > 0) {
    throw new LtiError('ERR_LTI_SEALED_KEY_INVALID', 'sealed key has an unknown format')
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(kid, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()])
    return JSON.parse(plain.toString('utf8')) as JWK
  } catch (cause) {
    throw new LtiError('ERR_LTI_SEALED_KEY_INVALID', 'sealed key cannot be opened with this secret and kid', { kid }, { cause })
  }
}

function checkSecret(secret: Uint8Array): void {
  if (secret.byteLength !== 32) throw new TypeError('key encryption secret must be 32 bytes (AES-256)')
}

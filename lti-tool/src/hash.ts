import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/** SHA-256 as base64url: how secrets that identify rows (session ids, OIDC states, tickets) are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url')
}

/** A random 256-bit token, base64url. */
export function randomId(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Seal a JSON value at rest with AES-256-GCM (NIST SP 800-38D), `aad` bound so a sealed value
 * cannot be moved onto another row. Used for cached access tokens; private keys use the library's
 * `sealPrivateKey`, the same construction.
 */
export function sealJson(value: unknown, aad: string, secret: Uint8Array): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secret, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
}

/** Open what `sealJson` sealed; undefined when it cannot be opened (wrong secret, tampering). */
export function openJson(sealed: string, aad: string, secret: Uint8Array): unknown {
  const [version, iv, ciphertext, tag] = sealed.split('.')
  if (version !== 'v1' || !iv || !ciphertext || !tag) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8'))
  } catch {
    return undefined
  }
}

/**
 * An issuer's signing keys: RS256 (OB 3.0 "Create the JOSE Header": `alg` "MUST be RS256 as a
 * minimum … Support for other algorithms is permitted but their use limits interoperability"; so
 * RS256 and nothing else, for every wallet and verifier to accept), 2048-bit.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import { BadgeError } from './badge-error.ts'
import { BADGE_ALG } from './badge-urls.ts'

export interface IssuerKey {
  /** RFC 7638 thumbprint of the public key: the fragment of the `kid` URI. */
  readonly thumbprint: string
  readonly publicJwk: JWK
  readonly privateJwk: JWK
}

/** A fresh RS256 key pair, extractable so that the private half can be sealed for storage. */
export async function generateIssuerKey(): Promise<IssuerKey> {
  const { publicKey, privateKey } = await generateKeyPair(BADGE_ALG, { modulusLength: 2048, extractable: true })
  const publicJwk = await exportJWK(publicKey)
  return { thumbprint: await calculateJwkThumbprint(publicJwk), publicJwk, privateJwk: await exportJWK(privateKey) }
}

/**
 * The public JWK as the JWKS publishes it. OB 3.0: "The JWK MUST never contain "d"", so only the
 * RSA public members are copied, never spread from a key that could hold private ones.
 */
export function publishedJwk(publicJwk: JWK, kid: string): JWK {
  return { kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e, kid, alg: BADGE_ALG, use: 'sig' }
}

const SEALED_VERSION = 'v1'

/**
 * Seal a private JWK for storage with AES-256-GCM (NIST SP 800-38D), the key id bound as additional
 * data: the same format and approach as the LTI tool's keys (`@tln/lti-v1p3` `sealPrivateKey`),
 * under its own key derived from `TLN_SECRET_KEY` (a leak of one derived key exposes one use).
 */
export function sealPrivateJwk(privateJwk: JWK, kid: string, secret: Uint8Array): string {
  checkSecret(secret)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secret, iv)
  cipher.setAAD(Buffer.from(kid, 'utf8'))
  const data = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()])
  return [SEALED_VERSION, iv, data, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

/** Open what `sealPrivateJwk` sealed. @throws BadgeError `ERR_BADGE_SEALED_KEY_INVALID` on another secret or kid, or tampering. */
export function openPrivateJwk(sealed: string, kid: string, secret: Uint8Array): JWK {
  checkSecret(secret)
  const [version, iv, data, tag, ...rest] = sealed.split('.')
  if (version !== SEALED_VERSION || !iv || !data || !tag || rest.length > 0) throw new BadgeError('ERR_BADGE_SEALED_KEY_INVALID', 'sealed key has an unknown format')
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(kid, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')) as JWK
  } catch (cause) {
    throw new BadgeError('ERR_BADGE_SEALED_KEY_INVALID', `sealed key ${kid} cannot be opened with this secret`, undefined, { cause })
  }
}

function checkSecret(secret: Uint8Array): void {
  if (secret.byteLength !== 32) throw new TypeError('the badge key secret must be 32 bytes (AES-256)')
}

import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'
import { randomToken } from '../random.ts'
import type { ToolKey } from '../stores/key-store.ts'

/**
 * Generate an RS256 key pair for the tool (Security Framework 1.0 §6.1: RSA keys of at least 2048
 * bits; LTI Core 1.3 §6: messages signed with RS256). Both JWKs carry `kid`, `alg` and `use`.
 */
export async function generateToolKey(now: number = Date.now()): Promise<ToolKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  const kid = randomToken()
  const common = { kid, alg: 'RS256', use: 'sig' } as const
  return {
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), ...common },
    privateJwk: { ...(await exportJWK(privateKey)), ...common },
    createdAt: now,
  }
}

/** Import a tool key's private half for signing. */
export async function importSigningKey(key: ToolKey): Promise<CryptoKey> {
  const imported = await importJWK(key.privateJwk, 'RS256')
  if (imported instanceof Uint8Array) throw new TypeError('tool private key must be an RSA JWK')
  return imported
}

/** The public half only, with the members a JWKS publishes (defensive: never leak `d`, `p`, `q`...). */
export function publicJwkOf(key: ToolKey): JWK {
  const { kty, n, e } = key.publicJwk
  if (kty !== 'RSA' || !n || !e) throw new TypeError(`tool key ${key.kid} has no RSA public JWK`)
  return { kty, n, e, kid: key.kid, alg: 'RS256', use: 'sig' }
}

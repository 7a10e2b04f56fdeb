import type { JWK } from 'jose'

/** One RS256 key pair of the tool, as JWKs carrying the same `kid`. */
export interface ToolKey {
  readonly kid: string
  readonly publicJwk: JWK
  readonly privateJwk: JWK
  /** Epoch milliseconds. */
  readonly createdAt: number
}

/**
 * The tool's signing keys: one current, plus previous ones still published so tokens signed
 * before a rotation keep verifying at platforms with a cached JWKS. Implementations keep private
 * keys sealed at rest (`sealPrivateKey`); this interface hands them out opened.
 */
export interface KeyStore {
  /** The key to sign with, or undefined before the first `rotate`. */
  current(): Promise<ToolKey | undefined>
  /** Retired keys still inside their overlap window, newest first. */
  previous(): Promise<readonly ToolKey[]>
  /**
   * Atomically make `next` current, retire the old current key (it joins `previous`), and drop
   * previous keys retired before `dropRetiredBefore` (epoch ms).
   */
  rotate(next: ToolKey, dropRetiredBefore: number): Promise<void>
}

/**
 * Replay protection for id_token nonces (OIDC Core 1.0 §3.1.3.7 rule 11; Security Framework 1.0
 * §5.1.3 step 8: "the Tool SHOULD ... ensure the nonce has not been used before").
 */
export interface NonceStore {
  /**
   * Record the nonce atomically (`INSERT … ON CONFLICT DO NOTHING`, then check the row count).
   * True on first use, false if it was seen before. `expiresAt` (epoch ms) tells the store when
   * the row may be purged: after it, the token's `exp` rejects a replay anyway.
   */
  consume(nonce: string, expiresAt: number): Promise<boolean>
}

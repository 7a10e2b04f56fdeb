/** An OAuth 2 access token from a platform's token endpoint (RFC 6749 §5.1). */
export interface AccessToken {
  readonly accessToken: string
  readonly tokenType: string
  /** The scopes actually granted, which may be fewer than asked for. */
  readonly scopes: readonly string[]
  /** Epoch milliseconds. */
  readonly expiresAt: number
}

/**
 * Cache of access tokens per (issuer, client_id, scopes) key, so a grade passback does not ask
 * the token endpoint each time (Security Framework 1.0 §4.1). May be shared between processes.
 */
export interface AccessTokenCache {
  get(key: string): Promise<AccessToken | undefined>
  set(key: string, token: AccessToken): Promise<void>
}

/**
 * A platform registration as the tool knows it: one (issuer, client_id) pair with the endpoints
 * the platform published (Security Framework 1.0 §5.1.1, LTI Core 1.3 §3.1.3). Deployments are
 * listed separately (`PlatformStore.listDeployments`) because one registration may carry several
 * (LTI Core 1.3 §3.1.3: "A platform MAY have multiple deployments for a tool").
 */
export interface Platform {
  /** `iss` of the platform's id_tokens, e.g. `https://moodle.example.org`. */
  readonly issuer: string
  /** The OAuth 2 client_id the platform assigned to this tool. */
  readonly clientId: string
  /** OIDC authorization endpoint the login initiation redirects to. */
  readonly authorizationEndpoint: string
  /** OAuth 2 token endpoint for the client-credentials grant (Security Framework 1.0 §4.1). */
  readonly tokenEndpoint: string
  /** JWKS URL of the platform's id_token signing keys. */
  readonly jwksUri: string
  /**
   * `aud` for the tool's client assertion when it differs from the token endpoint (the
   * openid-configuration's `authorization_server`, LTI Dynamic Registration 1.0 §3.4).
   */
  readonly authorizationServer?: string
  /**
   * True when these endpoints came from Dynamic Registration (LTI Dynamic Registration 1.0 §3):
   * chosen by whoever called the tool's open registration URL, not typed by an operator. An app
   * sends every later request to them (JWKS, token endpoint, AGS, NRPS) through
   * `createGuardedFetch` (OWASP SSRF Prevention Cheat Sheet); the library only carries the flag.
   */
  readonly dynamicallyRegistered?: boolean
}

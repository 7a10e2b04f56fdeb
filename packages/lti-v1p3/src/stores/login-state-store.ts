/** What the tool remembers between the login initiation and the launch. */
export interface LoginState {
  readonly nonce: string
  readonly iss: string
  readonly clientId: string
  readonly targetLinkUri: string
  /** Epoch milliseconds after which the state is no longer accepted. */
  readonly expiresAt: number
  /** SHA-256 (base64url) of the state cookie's value (`login/state-cookie.ts`); never the value itself. */
  readonly cookieHash?: string
  /** The rest of the login initiation, so a launch refused as not bound can restart it in a new window. */
  readonly loginHint?: string
  readonly ltiMessageHint?: string
  readonly ltiDeploymentId?: string
}

/**
 * Server-side OIDC `state` storage (Security Framework 1.0 §5.1.1.2 `state`; ARCHITECTURE.md: state
 * lives in the database). The browser binding is a cookie or platform storage; the state itself,
 * its nonce and expiry, are kept here.
 */
export interface LoginStateStore {
  save(state: string, value: LoginState): Promise<void>
  /** The live or expired state without consuming it (a launch not bound to this browser leaves it in place). */
  find(state: string): Promise<LoginState | undefined>
  /**
   * Return and delete the state in one atomic step (e.g. `DELETE … RETURNING`), so two launches
   * racing with one state cannot both succeed. Undefined if unknown or already consumed.
   */
  consume(state: string): Promise<LoginState | undefined>
}

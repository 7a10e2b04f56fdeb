/** What the tool remembers between the login initiation and the launch. */
export interface LoginState {
  readonly nonce: string
  readonly iss: string
  readonly clientId: string
  readonly targetLinkUri: string
  /** Epoch milliseconds after which the state is no longer accepted. */
  readonly expiresAt: number
}

/**
 * Server-side OIDC `state` storage, so the launch check needs no cross-site cookie (Security
 * Framework 1.0 §5.1.1.2 `state`; ARCHITECTURE.md: state lives in the database).
 */
export interface LoginStateStore {
  save(state: string, value: LoginState): Promise<void>
  /**
   * Return and delete the state in one atomic step (e.g. `DELETE … RETURNING`), so two launches
   * racing with one state cannot both succeed. Undefined if unknown or already consumed.
   */
  consume(state: string): Promise<LoginState | undefined>
}

import type { Platform } from '../platform.ts'

/**
 * Where platform registrations live (the app backs it with PostgreSQL, per tenant).
 * Registrations are keyed by (issuer, client_id) (LTI Core 1.3 §3.1.3).
 */
export interface PlatformStore {
  /** The registration for this issuer and client_id, or undefined. */
  find(issuer: string, clientId: string): Promise<Platform | undefined>
  /**
   * All registrations of an issuer. Used only when a login initiation omits the optional
   * `client_id` (Security Framework 1.0 §5.1.1.1); the login then proceeds only if there is one.
   */
  findByIssuer(issuer: string): Promise<readonly Platform[]>
  /** Known `deployment_id`s of a registration (LTI Core 1.3 §5.3.3). */
  listDeployments(issuer: string, clientId: string): Promise<readonly string[]>
}

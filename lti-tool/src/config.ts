import type { RosterSyncRetry } from './nrps/roster-sync.ts'
import type { FetchLike, ResolveHost } from '@tln/lti-v1p3'

/** What the tool needs from the server's configuration (read once by `apps/server/src/config.ts`). */
export interface LtiToolConfig {
  /** The tool's public base URL without trailing slash, e.g. `https://tln.example.org`. The tool URLs hang below `${publicUrl}/lti`. */
  readonly publicUrl: string
  /** 32 bytes sealing the tool's private keys and cached access tokens at rest (the server derives them from `TLN_SECRET_KEY`). */
  readonly keySecret: Uint8Array
  /**
   * Status of a platform saved by Dynamic Registration: `pending` (default) waits for
   * `tln platform activate`; `active` accepts launches at once. `/lti/register` is reachable by
   * anyone who can reach the tool, so `pending` keeps strangers' platforms out.
   */
  readonly dynamicRegistration?: 'pending' | 'active'
  /** Tenant (slug) that owns platforms saved by Dynamic Registration; default `default`. */
  readonly registrationTenant?: string
  /**
   * The deployment's IANA time zone (`TLN_TIME_ZONE`), e.g. `Asia/Jakarta` (WIB): the pages show
   * every time on its clock, the task and meeting forms read their dates and times on it and name
   * it (WIB, WITA, WIT), and "today" of the mentoring and observation forms is its day. Default
   * `Asia/Makassar` (WITA, Lombok Tengah).
   */
  readonly timeZone?: string
  /** Lifetime of a browser session; default 8 hours. */
  readonly sessionTtlMs?: number
  /** Seconds of clock skew allowed on id_tokens; default 5 (the library caps it at 60). */
  readonly clockToleranceS?: number
  /** Display name sent at registration. */
  readonly toolName?: string
  /** An Instructor launch syncs the course roster (NRPS) at most this often per course; default 10 minutes. */
  readonly rosterSyncIntervalMs?: number
  /** When that sync tries again after a platform failure that may pass; default `ROSTER_SYNC_RETRY` (5 s, then 30 s). */
  readonly rosterSyncRetry?: RosterSyncRetry
  /** Upload sessions (task files, mentoring evidence) never completed are deleted with their bytes after this long; default 24 hours. */
  readonly abandonedUploadAgeMs?: number
  /**
   * Private (RFC 6890 special-purpose) addresses a platform may be at when it registers itself by
   * Dynamic Registration: CIDR blocks, addresses or exact host names, e.g. a district's Moodle on
   * `192.168.10.0/24` or `moodle.lan` (`TLN_LTI_PLATFORM_ALLOW_PRIVATE`). Every other private,
   * loopback, link-local or reserved address is refused, since `/lti/register` is open to anyone.
   */
  readonly platformAllowPrivate?: readonly string[]
  /**
   * Outgoing HTTP (platform JWKS, registration, services); tests inject it. Registration without it
   * goes through `createGuardedFetch`; a dynamically registered platform's later requests always do
   * (`outbound/platform-outbound.ts`): this fetch serves platforms an operator added.
   */
  readonly fetch?: FetchLike
  /** Host name resolution of the guarded fetch (registration, dynamically registered platforms); tests inject it (no DNS). */
  readonly resolveHost?: ResolveHost
}

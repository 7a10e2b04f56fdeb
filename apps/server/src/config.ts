import { isAbsolute, resolve } from 'node:path'
import { DEFAULT_REPORT_TIME_ZONE, isTimeZone } from '@tln/competence'
import { MAINTENANCE_MODES, type MaintenanceMode } from '@tln/db'
import { DEFAULT_BODY_BUDGET } from '@tln/lrs'
import { parsePrivateAddressAllowance } from '@tln/lti-v1p3'
import { ServerError } from './errors.ts'

/** pino's levels, and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export type DatabaseConfig =
  /**
   * A PostgreSQL server (`DATABASE_URL`); `statementTimeoutMs` from `TLN_DB_STATEMENT_TIMEOUT_MS`,
   * absent means @tln/db's `DEFAULT_STATEMENT_TIMEOUT_MS` (60 s), 0 the server's own setting.
   */
  | { engine: 'postgres'; url: string; statementTimeoutMs?: number }
  /**
   * Embedded PGlite kept in an absolute directory (`TLN_DATA_DIR`); `sharedBuffersMb` from
   * `TLN_PGLITE_SHARED_BUFFERS_MB`, absent means @tln/db's `PGLITE_SHARED_BUFFERS_MB`.
   */
  | { engine: 'pglite'; dataDir: string; sharedBuffersMb?: number }

/** Everything the server reads from its environment, validated and typed. */
export interface Config {
  port: number
  host: string
  database: DatabaseConfig
  /**
   * The public base URL (no trailing slash) from `TLN_PUBLIC_URL`; undefined means
   * `http://localhost:<port the server bound>`, see `resolvePublicUrl`.
   */
  publicUrl: string | undefined
  logLevel: LogLevel
  /** Largest accepted request body, in bytes. */
  bodyLimit: number
  /**
   * `TLN_BODY_BUDGET`: bytes of `/xapi` request bodies read and worked on at once (default the
   * larger of 16 MiB and `bodyLimit`); a request that finds no room waits, then gets 503.
   */
  bodyBudget: number
  /** How long a shutdown waits for in-flight requests before cutting connections. */
  shutdownTimeoutMs: number
  /**
   * Limits on slow and idle clients, see `serve.ts`: `TLN_HEADERS_TIMEOUT_MS` (a request's
   * headers must have arrived within it, default 30 s: a client trickling them, "slowloris", is
   * cut off with 408), `TLN_REQUEST_TIMEOUT_MS` (the whole request, body included, default 10 min
   * so that a 10 MB file posted without script over a slow mobile link still arrives),
   * `TLN_KEEP_ALIVE_TIMEOUT_MS` (an idle keep-alive connection, default 5 s),
   * `TLN_SEND_TIMEOUT_MS` (a client that takes none of an answer for that long is cut off,
   * default 2 min; a large export to a client that never reads held its connection forever),
   * `TLN_BODY_MIN_RATE` (a body trickled slower than 500 bytes/s after 20 s is cut off with 408) and
   * `TLN_MAX_CONNECTIONS` (open connections at once; absent means no cap).
   */
  http: HttpLimits
  /**
   * `TLN_SECRET_KEY` (at least 32 characters, the same on every process): the one server secret.
   * Keys for each use are derived from it: the LTI tool's private keys and cached tokens, the
   * forwarding targets' credentials. See `secret-key.ts`.
   */
  secretKey?: string
  /** `TLN_LTI_DYNAMIC_REGISTRATION`: `pending` (default) or `active` for platforms saved by Dynamic Registration. */
  ltiDynamicRegistration?: 'pending' | 'active'
  /** `TLN_LTI_TENANT`: the tenant (slug) owning dynamically registered platforms; default `default`. */
  ltiTenant?: string
  /**
   * `TLN_LTI_CLOCK_TOLERANCE_S`: seconds of clock difference allowed between an LMS and TLN on an
   * id_token's `iat`, `nbf` and `exp` (0–60, default 5), for an LMS whose clock is not kept by NTP.
   */
  ltiClockToleranceS?: number
  /**
   * `TLN_LTI_PLATFORM_ALLOW_PRIVATE`: comma-separated CIDR blocks, addresses or host names of
   * private (special-purpose, RFC 6890) addresses where a platform may register itself by Dynamic
   * Registration, e.g. `192.168.10.0/24,moodle.lan`. Unset: only public addresses.
   */
  ltiPlatformAllowPrivate?: string[]
  /**
   * `TLN_TRUST_PROXY`: which proxies in front of the server to believe about the client address
   * (`X-Forwarded-For`), as express's `trust proxy`: `true` (any), a number of hops, or a list of
   * addresses, subnets or the names loopback, linklocal, uniquelocal. Unset: the socket address,
   * so a client cannot pick the address that authentication throttling counts against.
   */
  trustProxy?: boolean | number | string[]
  /**
   * `TLN_TIME_ZONE` (older name `TLN_REPORT_TIME_ZONE`, still read): the deployment's IANA zone,
   * one for everything people read and type. The pages show times on its clock, the task and
   * meeting forms read their fields on it, badge pages date on it, and the competence reports
   * count days and months in it. Unset means `Asia/Makassar` (WITA, Lombok Tengah). The same on
   * every process: a change rebuilds the competence projections.
   */
  timeZone: string
  /** `TLN_UPLOAD_MAX_AGE_HOURS`: upload sessions (task files, mentoring evidence) never completed are deleted after this many hours; default 24. */
  uploadMaxAgeHours?: number
  /**
   * `TLN_DB_MAINTENANCE` (`auto`, `on`, `off`; default `auto`) and `TLN_DB_MAINTENANCE_INTERVAL_S`
   * (default 60): the worker that analyses and vacuums tables where no autovacuum runs, see
   * @tln/db `DbMaintenance`.
   */
  dbMaintenance: { mode: MaintenanceMode; intervalMs: number }
}

/** The HTTP server's limits on slow and idle clients (`Config.http`). */
export interface HttpLimits {
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  sendTimeoutMs: number
  /**
   * `TLN_BODY_MIN_RATE`: bytes per second a request body must keep arriving at, after
   * `bodyGraceMs`, while the server reads it (0: no minimum). Apache's mod_reqtimeout default.
   */
  bodyMinRate: number
  /** Seconds' worth of grace a body has before `bodyMinRate` applies (20 s, as mod_reqtimeout's `body=20`). */
  bodyGraceMs: number
  maxConnections?: number
}

/** TLN's defaults for `Config.http` (node's own are 60 s for headers and 300 s for the request). */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = { headersTimeoutMs: 30_000, requestTimeoutMs: 600_000, keepAliveTimeoutMs: 5_000, sendTimeoutMs: 120_000, bodyMinRate: 500, bodyGraceMs: 20_000 }

export type Env = Readonly<Record<string, string | undefined>>

const MIB = 1024 * 1024

/**
 * Reads and validates the configuration. This is the one place that reads the environment
 * (STYLE.md rule 9): everything else takes a `Config`. Empty values count as unset, because
 * container tooling often passes `VAR=` for "no value".
 *
 * @param env the environment; `process.env` by default
 * @param cwd the directory a relative `TLN_DATA_DIR` is resolved against
 * @throws ServerError `ERR_CONFIG_INVALID` naming every bad variable and the rule it breaks
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: Array<{ name: string; rule: string }> = []
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  /** The parsed value of `name`, or `fallback` when unset; a bad value is noted in `problems`. */
  const read = <T>(name: string, parse: (value: string) => Parsed<T>, fallback: T): T => {
    const raw = get(name)
    if (raw === undefined) return fallback
    const parsed = parse(raw)
    if ('ok' in parsed) return parsed.ok
    problems.push({ name, rule: parsed.error })
    return fallback
  }

  const port = read('PORT', (v) => integer(v, 0, 65_535, 'a whole number from 0 to 65535 (0 picks a free port)'), 8080)
  const host = read<string>('HOST', (v) => (/\s/.test(v) ? { error: `must be a host name or address without spaces, got "${v}"` } : { ok: v }), '0.0.0.0')
  const logLevel = read<LogLevel>('LOG_LEVEL', (v) => (isLogLevel(v) ? { ok: v } : { error: `must be one of ${LOG_LEVELS.join(', ')}, got "${v}"` }), 'info')
  const bodyLimit = read('TLN_BODY_LIMIT', (v) => integer(v, 1024, 1024 * MIB, `a number of bytes from 1024 to ${1024 * MIB}`), 10 * MIB)
  const bodyBudget = read('TLN_BODY_BUDGET', (v) => integer(v, 1024, 16 * 1024 * MIB, `a number of bytes from 1024 to ${16 * 1024 * MIB}`), Math.max(DEFAULT_BODY_BUDGET, bodyLimit))
  // A body the limit allows must fit the budget, or it could never be read.
  if (bodyBudget < bodyLimit) problems.push({ name: 'TLN_BODY_BUDGET', rule: `must be at least TLN_BODY_LIMIT (${bodyLimit}), got "${bodyBudget}"` })
  const shutdownTimeoutMs = read('TLN_SHUTDOWN_TIMEOUT_MS', (v) => integer(v, 0, 600_000, 'a number of milliseconds from 0 to 600000'), 10_000)
  const headersTimeoutMs = read('TLN_HEADERS_TIMEOUT_MS', (v) => integer(v, 1_000, 600_000, 'a number of milliseconds from 1000 to 600000'), DEFAULT_HTTP_LIMITS.headersTimeoutMs)
  const requestTimeoutMs = read('TLN_REQUEST_TIMEOUT_MS', (v) => integer(v, 1_000, 3_600_000, 'a number of milliseconds from 1000 to 3600000'), DEFAULT_HTTP_LIMITS.requestTimeoutMs)
  const keepAliveTimeoutMs = read('TLN_KEEP_ALIVE_TIMEOUT_MS', (v) => integer(v, 1_000, 600_000, 'a number of milliseconds from 1000 to 600000'), DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs)
  const sendTimeoutMs = read('TLN_SEND_TIMEOUT_MS', (v) => integer(v, 1_000, 3_600_000, 'a number of milliseconds from 1000 to 3600000'), DEFAULT_HTTP_LIMITS.sendTimeoutMs)
  const bodyMinRate = read('TLN_BODY_MIN_RATE', (v) => integer(v, 0, 10_000_000, 'a number of bytes per second from 0 (no minimum) to 10000000'), DEFAULT_HTTP_LIMITS.bodyMinRate)
  const maxConnections = read<number | undefined>('TLN_MAX_CONNECTIONS', (v) => integer(v, 1, 1_000_000, 'a whole number of connections from 1 to 1000000'), undefined)
  // node refuses a headers timeout longer than the request timeout (the headers are part of the request).
  if (headersTimeoutMs > requestTimeoutMs) problems.push({ name: 'TLN_HEADERS_TIMEOUT_MS', rule: `must not be longer than TLN_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got "${headersTimeoutMs}"` })
  const publicUrl = read<string | undefined>('TLN_PUBLIC_URL', parsePublicUrl, undefined)
  const ltiDynamicRegistration = read<'pending' | 'active' | undefined>('TLN_LTI_DYNAMIC_REGISTRATION', (v) => (v === 'pending' || v === 'active' ? { ok: v } : { error: `must be pending or active, got "${v}"` }), undefined)
  const ltiTenant = read<string | undefined>('TLN_LTI_TENANT', (v) => (/^[a-z0-9][a-z0-9-]{0,62}$/.test(v) ? { ok: v } : { error: `must be a tenant slug (lower-case letters, digits, hyphens), got "${v}"` }), undefined)
  const ltiPlatformAllowPrivate = read<string[] | undefined>('TLN_LTI_PLATFORM_ALLOW_PRIVATE', parseAllowPrivate, undefined)
  const ltiClockToleranceS = read<number | undefined>('TLN_LTI_CLOCK_TOLERANCE_S', (v) => integer(v, 0, 60, 'a whole number of seconds from 0 to 60'), undefined)
  const trustProxy = read<boolean | number | string[] | undefined>('TLN_TRUST_PROXY', parseTrustProxy, undefined)
  const zone = (v: string): Parsed<string> => (isTimeZone(v) ? { ok: v } : { error: `must be an IANA time zone such as Asia/Makassar (WITA), Asia/Jakarta (WIB), Asia/Jayapura (WIT) or UTC, got "${v}"` })
  const timeZoneNew = read<string | undefined>('TLN_TIME_ZONE', zone, undefined)
  const timeZoneOld = read<string | undefined>('TLN_REPORT_TIME_ZONE', zone, undefined)
  // The older name stays accepted; two different zones would leave the pages and the reports a zone apart.
  if (timeZoneNew !== undefined && timeZoneOld !== undefined && timeZoneNew !== timeZoneOld) {
    problems.push({ name: 'TLN_TIME_ZONE', rule: `and TLN_REPORT_TIME_ZONE (its older name) are both set, to different zones ("${timeZoneNew}" and "${timeZoneOld}"); set TLN_TIME_ZONE alone` })
  }
  const timeZone = timeZoneNew ?? timeZoneOld ?? DEFAULT_REPORT_TIME_ZONE
  const uploadMaxAgeHours = read<number | undefined>('TLN_UPLOAD_MAX_AGE_HOURS', (v) => integer(v, 1, 720, 'a whole number of hours from 1 to 720'), undefined)
  const dbMaintenanceMode = read<MaintenanceMode>('TLN_DB_MAINTENANCE', (v) => (isMaintenanceMode(v) ? { ok: v } : { error: `must be one of ${MAINTENANCE_MODES.join(', ')}, got "${v}"` }), 'auto')
  const dbMaintenanceIntervalS = read('TLN_DB_MAINTENANCE_INTERVAL_S', (v) => integer(v, 1, 86_400, 'a whole number of seconds from 1 to 86400'), 60)
  const secretKey = read<string | undefined>('TLN_SECRET_KEY', (v) => (v.length >= 32 ? { ok: v } : { error: 'must be at least 32 characters (e.g. openssl rand -base64 32)' }), undefined)

  const sharedBuffersMb = read<number | undefined>('TLN_PGLITE_SHARED_BUFFERS_MB', (v) => integer(v, 8, 4096, 'a whole number of megabytes from 8 to 4096'), undefined)
  const pglite = sharedBuffersMb !== undefined ? { sharedBuffersMb } : {}

  const statementTimeoutMs = read<number | undefined>('TLN_DB_STATEMENT_TIMEOUT_MS', (v) => integer(v, 0, 3_600_000, 'a number of milliseconds from 0 (no limit) to 3600000'), undefined)

  const databaseUrl = get('DATABASE_URL')
  const dataDir = get('TLN_DATA_DIR')
  let database: DatabaseConfig = { engine: 'pglite', dataDir: resolve(cwd, 'data'), ...pglite }
  if (databaseUrl !== undefined && dataDir !== undefined) {
    problems.push({ name: 'DATABASE_URL', rule: 'and TLN_DATA_DIR are both set; set DATABASE_URL for PostgreSQL or TLN_DATA_DIR for embedded storage, not both' })
  } else if (databaseUrl !== undefined) {
    const rule = postgresUrlProblem(databaseUrl)
    if (rule === undefined) database = { engine: 'postgres', url: databaseUrl, ...(statementTimeoutMs !== undefined && { statementTimeoutMs }) }
    else problems.push({ name: 'DATABASE_URL', rule })
  } else if (dataDir !== undefined) {
    database = { engine: 'pglite', dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir), ...pglite }
  }

  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.name} ${p.rule}`)
    throw new ServerError('ERR_CONFIG_INVALID', `invalid configuration: ${lines.join('; ')}`, problems[0]!.name)
  }
  return { port, host, database, publicUrl, logLevel, bodyLimit, bodyBudget, shutdownTimeoutMs, timeZone,
    http: { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, sendTimeoutMs, bodyMinRate, bodyGraceMs: DEFAULT_HTTP_LIMITS.bodyGraceMs, ...(maxConnections !== undefined ? { maxConnections } : {}) },
    dbMaintenance: { mode: dbMaintenanceMode, intervalMs: dbMaintenanceIntervalS * 1000 }, ...(secretKey !== undefined ? { secretKey } : {}),
    ...(ltiDynamicRegistration !== undefined ? { ltiDynamicRegistration } : {}), ...(ltiTenant !== undefined ? { ltiTenant } : {}),
    ...(ltiPlatformAllowPrivate !== undefined ? { ltiPlatformAllowPrivate } : {}),
    ...(ltiClockToleranceS !== undefined ? { ltiClockToleranceS } : {}),
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    ...(uploadMaxAgeHours !== undefined ? { uploadMaxAgeHours } : {}) }
}

/** The public base URL: `TLN_PUBLIC_URL`, else `http://localhost:<port>` with the port actually bound. */
export function resolvePublicUrl(config: Pick<Config, 'publicUrl'>, boundPort: number): string {
  return config.publicUrl ?? `http://localhost:${boundPort}`
}

/** A description of the database that is safe to log: never the password of a URL. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.engine === 'pglite') return `embedded PGlite in ${database.dataDir}`
  const url = new URL(database.url)
  if (url.password !== '') url.password = '***'
  return `PostgreSQL at ${url.toString()}`
}

function isMaintenanceMode(value: string): value is MaintenanceMode {
  return (MAINTENANCE_MODES as readonly string[]).includes(value)
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}

type Parsed<T> = { ok: T } | { error: string }

function integer(value: string, min: number, max: number, rule: string): Parsed<number> {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN
  return n >= min && n <= max ? { ok: n } : { error: `must be ${rule}, got "${value}"` }
}

/** `true`, `false`, a hop count, or a comma-separated list of IP addresses, CIDR subnets and proxy-addr names. */
function parseTrustProxy(value: string): Parsed<boolean | number | string[]> {
  if (value === 'true' || value === 'false') return { ok: value === 'true' }
  if (/^\d{1,2}$/.test(value)) return { ok: Number(value) }
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  const valid = (entry: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(entry) || /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(entry)
  if (entries.length > 0 && entries.every(valid)) return { ok: entries }
  return { error: `must be true, false, a number of proxy hops, or a comma-separated list of addresses, subnets (CIDR) or loopback/linklocal/uniquelocal, got "${value}"` }
}

/** A comma-separated list of CIDR blocks, addresses and host names (`parsePrivateAddressAllowance` of @tln/lti-v1p3). */
function parseAllowPrivate(value: string): Parsed<string[]> {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  try {
    parsePrivateAddressAllowance(entries)
    return { ok: entries }
  } catch (error) {
    return { error: `must be a comma-separated list of CIDR blocks, addresses or host names (192.168.10.0/24,moodle.lan): ${(error as Error).message}` }
  }
}

function parsePublicUrl(value: string): Parsed<string> {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { error: `must be an absolute http:// or https:// URL such as https://tln.example.org, got "${value}"` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `must use http:// or https://, got "${value}"` }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return { error: `must be a base URL without credentials, query or fragment, got "${value}"` }
  }
  return { ok: url.toString().replace(/\/+$/, '') }
}

function postgresUrlProblem(value: string): string | undefined {
  try {
    const url = new URL(value)
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return undefined
    return `must be a postgres:// or postgresql:// URL, got the scheme "${url.protocol}"`
  } catch {
    return 'must be a URL such as postgres://user:password@host:5432/tln'
  }
}

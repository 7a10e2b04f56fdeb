import { describe, expect, it } from 'vitest'
import { describeDatabase, loadConfig, resolvePublicUrl } from '../src/config.ts'
import { ServerError } from '../src/errors.ts'

const CWD = '/srv/tln'

function configError(env: Record<string, string>): ServerError {
  try {
    loadConfig(env, CWD)
  } catch (error) {
    if (error instanceof ServerError) return error
    throw error
  }
  throw new Error('expected loadConfig to throw')
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({}, CWD)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      database: { engine: 'pglite', dataDir: '/srv/tln/data' },
      publicUrl: undefined,
      logLevel: 'info',
      bodyLimit: 10 * 1024 * 1024,
      bodyBudget: 16 * 1024 * 1024,
      shutdownTimeoutMs: 10_000,
      http: { headersTimeoutMs: 30_000, requestTimeoutMs: 600_000, keepAliveTimeoutMs: 5_000, sendTimeoutMs: 120_000, bodyMinRate: 500, bodyGraceMs: 20_000 },
      dbMaintenance: { mode: 'auto', intervalMs: 60_000 },
      timeZone: 'Asia/Makassar',
    })
  })

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '3000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://tln:pw@db.internal:5432/tln',
        TLN_PUBLIC_URL: 'https://lrs.tln.example/',
        LOG_LEVEL: 'debug',
        TLN_BODY_LIMIT: '2048',
        TLN_BODY_BUDGET: '1048576',
        TLN_SHUTDOWN_TIMEOUT_MS: '2500',
        TLN_HEADERS_TIMEOUT_MS: '20000',
        TLN_REQUEST_TIMEOUT_MS: '900000',
        TLN_KEEP_ALIVE_TIMEOUT_MS: '65000',
        TLN_SEND_TIMEOUT_MS: '300000',
        TLN_MAX_CONNECTIONS: '4000',
        TLN_BODY_MIN_RATE: '2000',
        TLN_DB_MAINTENANCE: 'off',
        TLN_DB_MAINTENANCE_INTERVAL_S: '300',
        TLN_DB_STATEMENT_TIMEOUT_MS: '120000',
        TLN_TIME_ZONE: 'Asia/Jakarta',
      },
      CWD,
    )
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { engine: 'postgres', url: 'postgres://tln:pw@db.internal:5432/tln', statementTimeoutMs: 120_000 },
      publicUrl: 'https://lrs.tln.example',
      logLevel: 'debug',
      bodyLimit: 2048,
      bodyBudget: 1_048_576,
      shutdownTimeoutMs: 2500,
      http: { headersTimeoutMs: 20_000, requestTimeoutMs: 900_000, keepAliveTimeoutMs: 65_000, sendTimeoutMs: 300_000, bodyMinRate: 2000, bodyGraceMs: 20_000, maxConnections: 4000 },
      dbMaintenance: { mode: 'off', intervalMs: 300_000 },
      timeZone: 'Asia/Jakarta',
    })
  })

  it('makes the body budget at least the body limit: by default the larger of 16 MiB and TLN_BODY_LIMIT, and refuses a smaller one', () => {
    expect(loadConfig({ TLN_BODY_LIMIT: String(64 * 1024 * 1024) }, CWD).bodyBudget).toBe(64 * 1024 * 1024)
    expect(() => loadConfig({ TLN_BODY_LIMIT: '4096', TLN_BODY_BUDGET: '2048' }, CWD)).toThrow(/TLN_BODY_BUDGET must be at least TLN_BODY_LIMIT \(4096\), got "2048"/)
    expect(() => loadConfig({ TLN_BODY_BUDGET: 'lots' }, CWD)).toThrow(/TLN_BODY_BUDGET must be a number of bytes from 1024 to/)
  })

  it('resolves a relative TLN_DATA_DIR against the working directory and keeps an absolute one', () => {
    expect(loadConfig({ TLN_DATA_DIR: 'var/lrs' }, CWD).database).toEqual({ engine: 'pglite', dataDir: '/srv/tln/var/lrs' })
    expect(loadConfig({ TLN_DATA_DIR: '/data/tln' }, CWD).database).toEqual({ engine: 'pglite', dataDir: '/data/tln' })
  })

  it('passes TLN_PGLITE_SHARED_BUFFERS_MB to embedded storage, with or without TLN_DATA_DIR', () => {
    expect(loadConfig({ TLN_PGLITE_SHARED_BUFFERS_MB: '64' }, CWD).database).toEqual({ engine: 'pglite', dataDir: '/srv/tln/data', sharedBuffersMb: 64 })
    expect(loadConfig({ TLN_PGLITE_SHARED_BUFFERS_MB: '16', TLN_DATA_DIR: '/data/tln' }, CWD).database).toEqual({ engine: 'pglite', dataDir: '/data/tln', sharedBuffersMb: 16 })
  })

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', LOG_LEVEL: '' }, CWD)).toMatchObject({ port: 8080, database: { engine: 'pglite' }, logLevel: 'info' })
  })

  it('accepts PORT=0 (a free port) and postgresql:// URLs', () => {
    expect(loadConfig({ PORT: '0', DATABASE_URL: 'postgresql://127.0.0.1/tln' }, CWD)).toMatchObject({ port: 0, database: { engine: 'postgres' } })
  })

  it.each([
    ['PORT', 'abc', 'a whole number from 0 to 65535'],
    ['PORT', '65536', 'a whole number from 0 to 65535'],
    ['PORT', '-1', 'a whole number from 0 to 65535'],
    ['PORT', '80.5', 'a whole number from 0 to 65535'],
    ['HOST', 'local host', 'without spaces'],
    ['LOG_LEVEL', 'verbose', 'one of fatal, error, warn, info, debug, trace, silent'],
    ['TLN_BODY_LIMIT', '10mb', 'a number of bytes'],
    ['TLN_BODY_LIMIT', '100', 'a number of bytes from 1024'],
    ['TLN_SHUTDOWN_TIMEOUT_MS', 'soon', 'a number of milliseconds'],
    ['TLN_HEADERS_TIMEOUT_MS', '0', 'a number of milliseconds from 1000 to 600000'],
    ['TLN_HEADERS_TIMEOUT_MS', '30s', 'a number of milliseconds from 1000 to 600000'],
    ['TLN_REQUEST_TIMEOUT_MS', '0', 'a number of milliseconds from 1000 to 3600000'],
    ['TLN_KEEP_ALIVE_TIMEOUT_MS', '-5', 'a number of milliseconds from 1000 to 600000'],
    ['TLN_SEND_TIMEOUT_MS', '500', 'a number of milliseconds from 1000 to 3600000'],
    ['TLN_BODY_MIN_RATE', '500B', 'a number of bytes per second from 0 (no minimum) to 10000000'],
    ['TLN_MAX_CONNECTIONS', '0', 'a whole number of connections from 1 to 1000000'],
    ['TLN_MAX_CONNECTIONS', 'many', 'a whole number of connections from 1 to 1000000'],
    ['TLN_PUBLIC_URL', 'lrs.example', 'absolute http:// or https:// URL'],
    ['TLN_PUBLIC_URL', 'ftp://lrs.example', 'http:// or https://'],
    ['TLN_PUBLIC_URL', 'https://lrs.example/?x=1', 'without credentials, query or fragment'],
    ['DATABASE_URL', 'mysql://db/tln', 'postgres:// or postgresql://'],
    ['DATABASE_URL', 'not a url', 'must be a URL'],
    ['TLN_PGLITE_SHARED_BUFFERS_MB', '4', 'a whole number of megabytes from 8 to 4096'],
    ['TLN_DB_MAINTENANCE', 'yes', 'one of auto, on, off'],
    ['TLN_DB_MAINTENANCE_INTERVAL_S', '0', 'a whole number of seconds from 1 to 86400'],
    ['TLN_DB_MAINTENANCE_INTERVAL_S', '1m', 'a whole number of seconds from 1 to 86400'],
    ['TLN_DB_STATEMENT_TIMEOUT_MS', '60s', 'a number of milliseconds from 0 (no limit) to 3600000'],
    ['TLN_DB_STATEMENT_TIMEOUT_MS', '3600001', 'a number of milliseconds from 0 (no limit) to 3600000'],
  ])('rejects %s=%s, naming the variable and the rule', (name, value, rule) => {
    const error = configError({ [name]: value })
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.subject).toBe(name)
    expect(error.message).toContain(`${name} must`)
    expect(error.message).toContain(rule)
    // A DATABASE_URL may hold a password, so its value is never repeated in the message.
    if (name === 'DATABASE_URL') expect(error.message).not.toContain(value)
    else expect(error.message).toContain(value)
  })

  it('rejects a TLN_HEADERS_TIMEOUT_MS longer than TLN_REQUEST_TIMEOUT_MS (the headers are part of the request)', () => {
    const error = configError({ TLN_HEADERS_TIMEOUT_MS: '60000', TLN_REQUEST_TIMEOUT_MS: '30000' })
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.subject).toBe('TLN_HEADERS_TIMEOUT_MS')
    expect(error.message).toContain('TLN_HEADERS_TIMEOUT_MS must not be longer than TLN_REQUEST_TIMEOUT_MS (30000), got "60000"')
  })

  it('never repeats a DATABASE_URL, which may hold a password, in its error', () => {
    const error = configError({ DATABASE_URL: 'mysql://tln:hunter22@db/tln' })
    expect(error.message).not.toContain('hunter22')
  })

  it('rejects DATABASE_URL and TLN_DATA_DIR together rather than guessing which one is meant', () => {
    const error = configError({ DATABASE_URL: 'postgres://127.0.0.1/tln', TLN_DATA_DIR: './data' })
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.message).toMatch(/DATABASE_URL and TLN_DATA_DIR are both set/)
  })

  it('reads TLN_TIME_ZONE as an IANA zone, Asia/Makassar (WITA) when unset, and names the rule when it is not one', () => {
    expect(loadConfig({ TLN_TIME_ZONE: 'Asia/Jayapura' }, CWD).timeZone).toBe('Asia/Jayapura')
    expect(loadConfig({}, CWD).timeZone).toBe('Asia/Makassar')
    const error = configError({ TLN_TIME_ZONE: 'WIB' })
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.subject).toBe('TLN_TIME_ZONE')
    expect(error.message).toContain('TLN_TIME_ZONE must be an IANA time zone')
  })

  it('still reads TLN_REPORT_TIME_ZONE, the older name, alone or with TLN_TIME_ZONE set to the same zone', () => {
    expect(loadConfig({ TLN_REPORT_TIME_ZONE: 'Asia/Jakarta' }, CWD).timeZone).toBe('Asia/Jakarta')
    expect(loadConfig({ TLN_REPORT_TIME_ZONE: 'Asia/Jakarta', TLN_TIME_ZONE: 'Asia/Jakarta' }, CWD).timeZone).toBe('Asia/Jakarta')
    const error = configError({ TLN_REPORT_TIME_ZONE: 'WITA' })
    expect(error.subject).toBe('TLN_REPORT_TIME_ZONE')
    expect(error.message).toContain('TLN_REPORT_TIME_ZONE must be an IANA time zone')
  })

  it('rule: TLN_TIME_ZONE and TLN_REPORT_TIME_ZONE set to different zones is a configuration error naming both', () => {
    const error = configError({ TLN_TIME_ZONE: 'Asia/Jakarta', TLN_REPORT_TIME_ZONE: 'Asia/Makassar' })
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.subject).toBe('TLN_TIME_ZONE')
    expect(error.message).toContain('TLN_TIME_ZONE and TLN_REPORT_TIME_ZONE (its older name) are both set, to different zones ("Asia/Jakarta" and "Asia/Makassar")')
  })

  it('reads TLN_LTI_CLOCK_TOLERANCE_S as whole seconds from 0 to 60 (the LTI library\'s cap) and names the rule otherwise', () => {
    expect(loadConfig({ TLN_LTI_CLOCK_TOLERANCE_S: '30' }, CWD).ltiClockToleranceS).toBe(30)
    expect(loadConfig({ TLN_LTI_CLOCK_TOLERANCE_S: '0' }, CWD).ltiClockToleranceS).toBe(0)
    expect(loadConfig({}, CWD).ltiClockToleranceS).toBeUndefined()
    for (const bad of ['61', '-1', '2.5', 'lima']) {
      const error = configError({ TLN_LTI_CLOCK_TOLERANCE_S: bad })
      expect(error.subject).toBe('TLN_LTI_CLOCK_TOLERANCE_S')
      expect(error.message).toContain('TLN_LTI_CLOCK_TOLERANCE_S must be a whole number of seconds from 0 to 60')
    }
  })

  it('reads TLN_LTI_PLATFORM_ALLOW_PRIVATE as CIDR blocks, addresses and host names, and names a bad entry', () => {
    expect(loadConfig({ TLN_LTI_PLATFORM_ALLOW_PRIVATE: '192.168.10.0/24, moodle.lan,fd00::/8' }, CWD).ltiPlatformAllowPrivate).toEqual(['192.168.10.0/24', 'moodle.lan', 'fd00::/8'])
    expect(loadConfig({}, CWD).ltiPlatformAllowPrivate).toBeUndefined()
    const error = configError({ TLN_LTI_PLATFORM_ALLOW_PRIVATE: '192.168.10.0/33' })
    expect(error.subject).toBe('TLN_LTI_PLATFORM_ALLOW_PRIVATE')
    expect(error.message).toContain('"192.168.10.0/33" is not an IP address, a CIDR block')
  })

  it('reports every bad variable at once', () => {
    const error = configError({ PORT: 'x', LOG_LEVEL: 'y' })
    expect(error.message).toContain('PORT must')
    expect(error.message).toContain('LOG_LEVEL must')
    expect(error.subject).toBe('PORT')
  })
})

describe('resolvePublicUrl', () => {
  it('prefers TLN_PUBLIC_URL and otherwise names the port actually bound', () => {
    expect(resolvePublicUrl({ publicUrl: 'https://lrs.example' }, 41234)).toBe('https://lrs.example')
    expect(resolvePublicUrl({ publicUrl: undefined }, 41234)).toBe('http://localhost:41234')
  })
})

describe('describeDatabase', () => {
  it('never shows the password of a DATABASE_URL', () => {
    const text = describeDatabase({ engine: 'postgres', url: 'postgres://tln:s3cret@db:5432/tln' })
    expect(text).not.toContain('s3cret')
    expect(text).toContain('db:5432/tln')
  })
})

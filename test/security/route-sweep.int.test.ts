import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest, startSweepServer, type RawAnswer, type SweepServer } from './route-sweep-server.ts'

/**
 * Issue 7 ("Security"): every route of the server, hit with hostile input with and without
 * credentials, answers a 4xx (or a success) — never a 5xx, never a hang — with an error that
 * names the problem, and a refused request changes nothing. `bad-input.int.test.ts` covers each
 * form's own fields and rules; this sweep covers what every route meets alike: ids that are not
 * ids (`__proto__`, NUL, invalid percent-encoding, traversal), hostile query strings and headers,
 * bodies of the wrong type, charset, boundary or size, and every method. The routes come from the
 * app's own route table (`listRoutes`, as the 405 fallback reads it), not from a list kept beside the
 * routers: a route is swept the day it is added. Each registered route and method gets one run
 * (fast-check examples), then random runs pick any route and any method, wrong ones included.
 */

/**
 * Paths no route has, which `listRoutes` cannot list: the LRS's own 404 under `/xapi` (its resources
 * are `.all()` routes, listed; what lies beside them is not), the export and forwarding routers' own
 * 404s, and the server's. Every other path comes from the app's route table (`routes` below).
 */
const UNROUTED = ['/no-such-page', '/xapi/no-such-resource', '/xapi/statements/:id', '/lti/no-such-page', '/lti/api/tasks/:id', '/api/export/:id', '/api/admin/forwarding/:name/no-such', '/reports/teacher/:a/b/c/d', '/demo/lms/:id/x']

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'] as const

/** Ids that are not ids: prototype keys, NUL, invalid or overlong UTF-8, traversal, overflow. */
const HOSTILE_IDS = ['00000000-0000-0000-0000-000000000000', '__proto__', 'constructor', 'toString', '%00', 'a%00b', '%E0%A4%A', '%C0%AF', '%FF%FE', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '99999999999999999999999', '-1', 'x'.repeat(3000)]
const hostileId = fc.oneof(fc.constantFrom(...HOSTILE_IDS), fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent))
const PARAM = /:([A-Za-z_$][\w$]*)/g
/** One hostile id for each parameter of the longest pattern (`/lti/admin/programs/:id/tiers/:tierId/modules/:moduleId`): each parameter its own. */
const hostileIds = fc.array(hostileId, { minLength: 3, maxLength: 3 })

/** A route pattern with its `:params` filled with `ids` in turn; anything but `:name` parameters fails loudly rather than being guessed. */
function fill(pattern: string, ids: readonly string[]): string {
  if (/[{}*()?+]/.test(pattern)) throw new Error(`route ${pattern}: the sweep fills :name parameters only`)
  let i = 0
  return pattern.replace(PARAM, () => ids[i++ % ids.length]!)
}

const HOSTILE_QUERIES = ['', '?limit=99999999999999999999', '?limit=-1&offset=1e400', '?since=%00', '?since=notadate', '?a=1&a=2&limit=1&limit=2', '?agent=%7B', '?agent=%5B1%5D',
  '?activityId=%E0%A4%A', '?stateId=x&activityId=http%3A%2F%2Fa.example&agent=%7B%22mbox%22%3A1%7D', '?__proto__[x]=1&constructor[prototype][y]=1', '?done=__proto__', '?node[]=1&node=2',
  '?format=%00&attachments=maybe', '?statementId=zz&voidedStatementId=zz', `?q=${'x'.repeat(6000)}`, '?from=2026-13-45&to=x&page=1e309']
const hostileQuery = fc.oneof(fc.constantFrom(...HOSTILE_QUERIES), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 4 }).map((d) => `?${new URLSearchParams(d).toString()}`))

const HOSTILE_BODIES: ReadonlyArray<readonly [contentType: string | undefined, body: string]> = [
  ['application/json', '{'], ['application/json', '[]'], ['application/json', 'null'], ['application/json', '123'], ['application/json', '"x"'],
  ['application/json', '{"__proto__":{"x":1},"constructor":{"prototype":{"y":1}}}'],
  ['application/json', `${'['.repeat(3000)}${']'.repeat(3000)}`],
  ['application/json', '{"a":1e999999,"size":1e400,"limit":-0,"name":"\\u0000"}'],
  ['application/json; charset=utf-16', '{}'], ['application/json; charset=bogus', '{}'],
  ['application/x-www-form-urlencoded', 'a=%E0%A4%A&name=%00&csrf[]=1&csrf=2&__proto__[x]=1'],
  ['application/x-www-form-urlencoded', `a[b][c][d]=1&${'x=1&'.repeat(1500)}`],
  ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--yyy--'],
  ['multipart/form-data', '--zzz\r\n\r\n'],
  ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="file"; filename="../../x.png"\r\nContent-Type: image/png\r\n\r\n\u0089PNG'],
  ['multipart/mixed; boundary=abc', '--abc\r\nContent-Type: application/json\r\n\r\n{"x":1}\r\n--abc\r\nX-Experience-API-Hash: zz\r\n\r\nhi\r\n--abc--'],
  ['text/csv', 'npsn,name\n\u0000,"unterminated'], ['application/octet-stream', '\u00ff'.repeat(2000)], [undefined, '{}'], ['garbage/////;;;', '{}'],
]
const hostileBody = fc.oneof(fc.constantFrom(...HOSTILE_BODIES), fc.tuple(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'), fc.json({ maxDepth: 3 })))

type Credentials = 'none' | 'lrs' | 'teacher' | 'admin' | 'garbage-basic' | 'basic-no-colon' | 'junk-bearer' | 'junk-cookie' | 'huge-header' | 'wrong-version'
const credentials = fc.constantFrom<Credentials>('none', 'lrs', 'teacher', 'admin', 'garbage-basic', 'basic-no-colon', 'junk-bearer', 'junk-cookie', 'huge-header', 'wrong-version')

/** One request target: a method and a route pattern. */
interface Target { method: string; pattern: string }

/**
 * Every route the app registers and each method it registers it for (`listRoutes`): a `.all()`
 * route (`*`: the LRS's resources, the export) takes every method the sweep sends; the HEAD that
 * `listRoutes` adds wherever GET is is Express answering with the GET handler, swept by the random
 * runs; methods the sweep does not send (`app.all()` registers CONNECT, M-SEARCH…) are left out.
 */
function registeredTargets(routes: ReadonlyArray<{ path: string; methods: readonly string[] }>): Target[] {
  const targets = new Map<string, Target>()
  for (const { path, methods } of routes) {
    const swept = methods.includes('*') ? METHODS : METHODS.filter((m) => methods.includes(m) && !(m === 'HEAD' && methods.includes('GET')))
    for (const method of swept) targets.set(`${method} ${path}`, { method, pattern: path })
  }
  return [...targets.values()]
}

let s: SweepServer
let tables: string[]

/** The tables that hold what people did (sessions, throttles and audit rows change on any request and are left out). */
const DATA_TABLES = ['tenant', 'org_node', 'person', 'person_grant', 'lti_platform', 'lti_deployment', 'lti_user', 'lrs_credential', 'program', 'program_tier', 'program_phase', 'program_module',
  'performance_task', 'task_assignment', 'task_upload', 'task_submission', 'mentoring_relation', 'mentoring_session', 'mentoring_upload', 'tln_meeting', 'observation_instrument', 'observation_record',
  'xapi_statement', 'xapi_document', 'xapi_attachment', 'xapi_activity', 'forward_target', 'local_account', 'account_invitation', 'competence_config', 'tool_statement_outbox']

async function fingerprint(): Promise<string> {
  const sql = tables.map((t) => `select '${t}' as name, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${t}" t`).join(' union all ')
  const { rows } = (await s.db.knex.raw(sql)) as { rows: Array<{ name: string; h: string }> }
  return rows.map((r) => `${r.name}:${r.h}`).join(',')
}

function headersOf(who: Credentials, csrf: boolean): Record<string, string> {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`
  switch (who) {
    case 'none': return {}
    case 'lrs': return { authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3' }
    case 'teacher': return { cookie: s.teacher.cookie, ...(csrf && { 'x-tln-csrf': s.teacher.csrf }) }
    case 'admin': return { cookie: s.admin.cookie, ...(csrf && { 'x-tln-csrf': s.admin.csrf }), authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3' }
    case 'garbage-basic': return { authorization: 'Basic %%%not-base64', 'x-experience-api-version': '1.0.3' }
    case 'basic-no-colon': return { authorization: basic('no-colon-here'), 'x-experience-api-version': '1.0.3' }
    case 'junk-bearer': return { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'x-experience-api-version': '1.0.3' }
    case 'junk-cookie': return { cookie: 'tln_session=%E0%A4%A; tln_csrf=%00; tln_session=x' }
    case 'huge-header': return { authorization: `Basic ${'A'.repeat(6000)}`, cookie: `tln_session=${'x'.repeat(4000)}` }
    case 'wrong-version': return { authorization: s.lrsAuth, 'x-experience-api-version': '9.9.9' }
  }
}

/** A refusal names its problem: JSON with an error code and message, or a TLN page with its stable code in `X-TLN-Error` or the page's own text. */
function explains(answer: RawAnswer, method: string): boolean {
  // 431 comes from Node's HTTP parser before any route (headers over 16 KB): the status is the rule (RFC 6585 §5).
  if (method === 'HEAD' || answer.status < 400 || answer.status === 431) return true
  const type = answer.headers['content-type'] ?? ''
  if (type.startsWith('application/json')) {
    const body = JSON.parse(answer.body) as { error?: unknown; message?: unknown; code?: unknown; imsx_description?: unknown }
    // The CASE endpoints answer IMS's own status object (CASE 1.0 REST binding, imsx_StatusInfo).
    if (typeof body.imsx_description === 'string') return body.imsx_description !== ''
    const error = body.error as { code?: unknown; message?: unknown } | string | undefined
    // The demo LMS's token endpoint and services answer as an OAuth 2.0 server does (RFC 6749 §5.2, RFC 6750 §3): `error` and `error_description`.
    const oauth = typeof error === 'string' && typeof (body as { error_description?: unknown }).error_description === 'string'
    return (typeof error === 'object' && typeof error.code === 'string' && typeof error.message === 'string' && error.message !== '')
      || (typeof error === 'string' && body.message !== undefined) || (typeof body.code === 'string' && body.message !== undefined) || oauth
  }
  if (type.startsWith('text/html')) return answer.body.includes('<main') || answer.body.includes('<p') || answer.headers['x-tln-error'] !== undefined
  // 405 and 401 carry their rule in headers (Allow, WWW-Authenticate); anything else must say something.
  return answer.status === 405 ? answer.headers.allow !== undefined : answer.body.length > 0
}

beforeAll(async () => {
  s = await startSweepServer()
  const present = (await s.db.knex('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name')) as string[]
  tables = DATA_TABLES.filter((t) => present.includes(t))
}, 120_000)

afterAll(async () => {
  await s?.close()
})

/** One request to `target` with hostile ids, query, body and credentials: an answer below 500 within 10 s that names a refusal, and a refusal changes nothing. */
async function sweepOnce(target: Target, ids: string[], query: string, [contentType, body]: readonly [string | undefined, string], who: Credentials, csrf: boolean): Promise<void> {
  const { method } = target
  const path = `${fill(target.pattern, ids)}${query}`
  const before = await fingerprint()
  const withBody = method !== 'GET' && method !== 'HEAD'
  const answer = await rawRequest(s.url, method, path, { ...headersOf(who, csrf), ...(withBody && contentType !== undefined && { 'content-type': contentType }) }, withBody ? body : '')
  const seen = `${method} ${path.slice(0, 200)} (route ${target.pattern}) as ${who} → ${answer.status} ${answer.body.slice(0, 300)}`
  expect(answer.status, seen).toBeGreaterThan(0)
  expect(answer.status, seen).toBeLessThan(500)
  expect(explains(answer, method), seen).toBe(true)
  if (answer.status >= 400) expect(await fingerprint(), seen).toBe(before)
}

describe('route sweep (issue 7: no 5xx, no hang, a named error, nothing changed)', () => {
  it('every route the app registers, under each method it registers, once with hostile ids, query, body and credentials: below 500 within 10 s, the refusal named, nothing changed (RFC 9110 §15.5, xAPI 1.0.3 Communication 3.2)', async () => {
    const targets = registeredTargets(s.routes)
    expect(targets.length, 'routes listed from the app').toBeGreaterThan(200)
    // One run per target (fast-check's examples, in order), its hostile inputs drawn with the run's seed: a failure names the seed and its whole input.
    const seed = Date.now() ^ (Math.random() * 0x1_0000_0000)
    const inputs = fc.sample(fc.tuple(hostileIds, hostileQuery, hostileBody, credentials, fc.boolean()), { seed, numRuns: targets.length })
    const examples = targets.map((target, i): [Target, ...(typeof inputs)[number]] => [target, ...inputs[i]!])
    const swept = new Set<string>()
    await fc.assert(fc.asyncProperty(fc.constant(targets[0]!), hostileIds, hostileQuery, hostileBody, credentials, fc.boolean(), async (target, ...rest) => {
      swept.add(`${target.method} ${target.pattern}`)
      await sweepOnce(target, ...rest)
    }), { seed, examples, numRuns: examples.length })
    expect(targets.map((t) => `${t.method} ${t.pattern}`).filter((t) => !swept.has(t)), 'targets not swept').toEqual([])
    expect(s.logs().filter((l) => (l.level as number) >= 50), 'errors logged by the server').toEqual([])
  }, 240_000)

  it('any route, listed or unrouted, under any method (wrong ones too), with hostile input: the same, for 100 runs or 20 s', async () => {
    const patterns = [...new Set([...s.routes.map((r) => r.path), ...UNROUTED])]
    await fc.assert(fc.asyncProperty(
      fc.record({ method: fc.constantFrom<string>(...METHODS), pattern: fc.constantFrom(...patterns) }), hostileIds, hostileQuery, hostileBody, credentials, fc.boolean(), sweepOnce,
    ), { numRuns: 100, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false })
    expect(s.logs().filter((l) => (l.level as number) >= 50), 'errors logged by the server').toEqual([])
  }, 90_000)
})

describe('what the first sweep found (each failed before its fix)', () => {
  const get = (path: string, who: Credentials = 'admin') => rawRequest(s.url, 'GET', path, headersOf(who, true))
  it('an item id that is a prototype key (`__proto__`, `constructor`) is not found, not a crash', async () => {
    for (const id of ['__proto__', 'constructor']) {
      expect((await get(`/lti/items/${id}`)).status).toBe(404)
      expect((await get(`/lti/static/${id}`)).status).toBe(404)
    }
  })
  it('`?done=__proto__` on the admin pages shows no notice rather than the prototype', async () => {
    for (const page of ['/lti/admin/platforms', '/lti/admin/programs']) {
      const answer = await get(`${page}?done=__proto__`)
      expect(answer.status, answer.body.slice(0, 300)).toBe(200)
      expect(answer.body).not.toContain('[object Object]')
    }
  })
  it('an id that is not valid percent-encoding is refused with 400 naming it, in the JSON APIs too (RFC 3986 §2.1)', async () => {
    for (const path of ['/lti/api/programs/%E0%A4%A', '/api/reports/kecamatan/%C0%AF']) {
      const answer = await get(path)
      expect(answer.status, answer.body).toBe(400)
      expect(answer.body).toMatch(/Failed to decode param/)
    }
  })
  it('a NUL (%00) in a path or query is refused with 400 naming the rule, before any query runs', async () => {
    for (const path of ['/reports/teacher/%00', '/lti/items/a%00b', '/api/admin/forwarding/a%00b/dead-letters', '/xapi/activities/state?stateId=%00']) {
      const answer = await get(path)
      expect(answer.status, answer.body).toBe(400)
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'ERR_BAD_REQUEST', rule: 'no-nul' } })
    }
  })
  it('a NUL (U+0000) in a form field is refused with 400 naming the field and the rule before any route runs, and nothing is stored (PostgreSQL text cannot hold it)', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const forms: Array<[string, typeof s.admin, string, string]> = [
      ['/lti/mentoring/relations', s.teacher, `mentee=new&name=Ri%00na&start=${today}`, 'name'],
      ['/lti/observations/instruments', s.admin, 'name=O%00&kind=observation&top=4&labels=a%0Ab%0Ac%0Ad&indicators=OBS1%20%7C%20PED.C.2%20%7C%20x', 'name'],
      ['/lti/observations/instruments', s.admin, 'name=O&kind=observation&top=4&labels=a%0Ab%0Ac%0Ad&indicators=OBS1%20%7C%20PED.C.2%20%7C%20x%00', 'indicators'],
      ['/lti/tasks/admin', s.admin, 'title=Tugas&instructions=Tulis\u0000refleksi', 'instructions'],
      ['/lti/meetings', s.admin, 'title=Pertemuan%00&date=2026-01-01', 'title'],
      ['/lti/org/import', s.admin, 'kind=people&csv=npsn%2Cname%0A1%2CA%00', 'csv'],
      ['/login', s.admin, 'email=a%00@example.org&password=x', 'email'],
    ]
    for (const [path, who, fields, field] of forms) {
      const before = await fingerprint()
      const answer = await rawRequest(s.url, 'POST', path, { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' }, `csrf=${encodeURIComponent(who.csrf)}&${fields}`)
      expect(answer.status, `${path}: ${answer.body.slice(0, 300)}`).toBe(400)
      expect(JSON.parse(answer.body), path).toMatchObject({ error: { code: 'ERR_BAD_REQUEST', field, rule: 'no-nul' } })
      expect(JSON.parse(answer.body).error.message).toContain('NUL')
      expect(await fingerprint()).toBe(before)
    }
    // A browser's form post (Accept: text/html) gets a page saying the same, in both languages.
    const page = await rawRequest(s.url, 'POST', '/lti/mentoring/relations', { cookie: s.teacher.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, `csrf=${encodeURIComponent(s.teacher.csrf)}&mentee=new&name=Ri%00na`)
    expect(page.status).toBe(400)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('<main')
    expect(page.body).toContain('"name"')
  })
  it('a form without NUL still reaches its route whole (the guard reads the body and hands it back), and a route keeps its own size limit', async () => {
    // 300 KB: many chunks. The route read the whole body: its own CSRF refusal, not a hang (-1) or a parse error.
    const big = await rawRequest(s.url, 'POST', '/lti/org/import', { cookie: s.admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, `kind=people&csv=${'a'.repeat(300_000)}`)
    expect(big.status, big.body.slice(0, 300)).toBe(403)
    expect(big.headers['x-tln-error']).toBe('ERR_TOOL_CSRF')
    const over = await rawRequest(s.url, 'POST', '/login', { 'content-type': 'application/x-www-form-urlencoded' }, `email=${'a'.repeat(20_000)}&password=x`)
    expect(over.status, over.body.slice(0, 300)).toBe(413)
  })
  it('a body announced over the limit is refused at once, not read first (xAPI 1.0.3 Communication 3.2: 413; RFC 9110 §15.5.14)', async () => {
    for (const path of ['/xapi/statements', '/xapi/activities/state', '/lti/tasks/uploads']) {
      const answer = await rawRequest(s.url, 'POST', path, { ...headersOf('admin', true), 'content-type': 'application/json', 'content-length': '99999999999' }, '{}', 5_000)
      expect(answer.status, `${path}: ${answer.body}`).toBe(413)
      expect(answer.body).toMatch(/larger than/)
    }
  })
})

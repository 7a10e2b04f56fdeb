import type { OrgNode } from '../../src/index.ts'
import { smallTree, type OrgTestServer } from '../org-helpers.ts'

export const ISSUER = 'https://lms.lomboktengah.example'

/** A signed-in person: their session cookie, and requests that carry it (the CSRF token read from the page, as a browser would). */
export interface Signed {
  personId: string
  userId: string
  cookie: string
  get(path: string): Promise<{ status: number; text: string; headers: Headers }>
  post(path: string, fields: Record<string, string>, options?: { csrf?: string | null }): Promise<{ status: number; text: string; headers: Headers }>
  multipart(path: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array<ArrayBuffer> }, options?: { csrf?: string | null }): Promise<{ status: number; text: string; headers: Headers }>
  csrf(): Promise<string>
}

/** A person at `schoolId` (or none) linked to an LTI user (ISSUER, sub), with a live session; `grants` are stored grants. */
export async function signIn(s: OrgTestServer, tenantId: string, input: { sub: string; name: string; role: 'teacher' | 'facilitator' | 'admin'; schoolId?: string; grants?: Array<{ role: 'facilitator' | 'coordinator' | 'teacher'; nodeId: string }> }): Promise<Signed> {
  const person = await s.tool.org.upsertPerson(tenantId, { name: input.name, externalId: input.sub, lti: { issuer: ISSUER, sub: input.sub }, ...(input.schoolId !== undefined && { schoolId: input.schoolId }) })
  if (input.role === 'teacher' && input.schoolId !== undefined) await s.tool.org.grant(tenantId, person.id, 'teacher', input.schoolId)
  for (const g of input.grants ?? []) await s.tool.org.grant(tenantId, person.id, g.role, g.nodeId)
  const user = await s.tool.users.upsert({ tenantId, issuer: ISSUER, sub: input.sub, name: input.name, role: input.role })
  const id = await s.tool.sessions.create(user.id, { issuer: ISSUER, deploymentId: 'd1', role: input.role }, 3_600_000)
  const cookie = `tln_session=${id}`
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${s.url}${path}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers as Record<string, string> | undefined) } })
    return { status: res.status, text: await res.text(), headers: res.headers }
  }
  const csrf = async () => {
    // The teacher's page has forms; a verifier's queue carries the token even when it is empty.
    const m = /name="csrf" value="([^"]+)"/.exec((await call('/lti/mentoring')).text) ?? /data-csrf="([^"]+)"/.exec((await call('/lti/mentoring/verify')).text)
    if (m === null) throw new Error('no csrf on the mentoring pages')
    return m[1]!
  }
  return {
    personId: person.id, userId: user.id, cookie, csrf,
    get: (path) => call(path),
    post: async (path, fields, options = {}) => {
      const token = options.csrf === undefined ? await csrf() : options.csrf
      return call(path, { method: 'POST', body: new URLSearchParams({ ...(token !== null && { csrf: token }), ...fields }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    },
    multipart: async (path, fields, file, options = {}) => {
      const token = options.csrf === undefined ? await csrf() : options.csrf
      const form = new FormData()
      if (token !== null) form.set('csrf', token)
      for (const [k, v] of Object.entries(fields)) form.set(k, v)
      if (file !== undefined) form.set('file', new Blob([file.bytes], { type: file.type }), file.name)
      return call(path, { method: 'POST', body: form })
    },
  }
}

/** The small tree plus schools: A and B in Praya, C in Selong (another district). */
export async function schools(s: OrgTestServer, tenant = 'default'): Promise<Awaited<ReturnType<typeof smallTree>> & { a: OrgNode; b: OrgNode; c: OrgNode }> {
  const tree = await smallTree(s.tool, tenant)
  const school = (code: string, name: string, parentId: string) => s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code, name, schoolType: 'TK', parentId })
  return { ...tree, a: await school(`${tenant === 'default' ? '' : '1'}99020601`, 'TK Cahaya Praya', tree.praya.id), b: await school(`${tenant === 'default' ? '' : '1'}99020602`, 'KB Melati Praya', tree.praya.id), c: await school(`${tenant === 'default' ? '' : '1'}99030101`, 'TK Selong', tree.k2.id) }
}

/** Statements stored in the LRS, parsed. */
export async function statements(s: OrgTestServer, verb?: string): Promise<Array<Record<string, any>>> {
  const rows = (await s.db.knex('xapi_statement').select('statement')) as Array<{ statement: unknown }>
  const all = rows.map((r) => (typeof r.statement === 'string' ? JSON.parse(r.statement) : r.statement) as Record<string, any>)
  return verb === undefined ? all : all.filter((x) => x.verb.id === verb)
}

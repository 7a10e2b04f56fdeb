import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayWita } from '../../src/index.ts'
import { startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { schools, signIn, type Signed } from './mentoring-helpers.ts'

/**
 * Resumable mentoring evidence (issue 5, "Peer mentoring": photos from phones on weak
 * connections), the tasks' upload API (`uploads/chunked-uploads.ts`): a session of 256 KB chunks
 * on the mentor's own relation, the offset asked to resume after a cut, the first chunk judged by
 * its content, oversize refused before a byte travels, and the finished upload used by the
 * session form (`upload=<id>`). Upload sessions never completed are deleted by the cleanup after
 * the configured age (default 24 h). Every refusal answers JSON `{ code, message: { id, en } }`.
 */
const CHUNK = 256 * 1024
const HOUR = 3_600_000

/** A JPEG by its first bytes, `size` long. */
function jpeg(size: number): Buffer {
  const b = Buffer.alloc(size, 7)
  b.set([0xff, 0xd8, 0xff, 0xe0], 0)
  return b
}

describe(`mentoring evidence upload on ${testEngine()}`, () => {
  let s: OrgTestServer
  let mentor: Signed, rina: Signed
  let relationId: string
  let csrf: string

  const api = async (who: Signed, method: string, path: string, body?: Buffer | Record<string, unknown>, token: string | null = csrf) => {
    const headers: Record<string, string> = { cookie: who.cookie, accept: 'application/json', ...(token !== null && { 'x-tln-csrf': token }) }
    if (Buffer.isBuffer(body)) headers['content-type'] = 'application/octet-stream'
    else if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${s.url}/lti/mentoring${path}`, { method, headers, ...(body !== undefined && { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) }) })
    return { status: res.status, json: (await res.json()) as Record<string, any> }
  }
  const uploads = async () => (await s.db.knex('mentoring_upload').select('id', 'received', 'size')) as Array<{ id: string; received: number; size: number }>

  beforeAll(async () => {
    s = await startOrgServer()
    const t = await schools(s)
    mentor = await signIn(s, t.tenantId, { sub: 'user-17', name: 'Siti Rahayu', role: 'teacher', schoolId: t.a.id })
    rina = await signIn(s, t.tenantId, { sub: 'user-18', name: 'Rina Wati', role: 'teacher', schoolId: t.a.id })
    relationId = /relations\/([^/]+)$/.exec((await mentor.post('/lti/mentoring/relations', { mentee: rina.personId })).headers.get('location')!)![1]!
    csrf = await mentor.csrf()
  })
  afterAll(async () => { await s?.close() })

  it('the session form offers the resumable upload: script from /lti/static, the relation, the chunk size, the upload field', async () => {
    const page = (await mentor.get(`/lti/mentoring/relations/${relationId}`)).text
    expect(page).toContain('<script src="/lti/static/mentoring-upload.js"')
    expect(page).toContain(`data-relation="${relationId}"`)
    expect(page).toContain(`data-chunk="${CHUNK}"`)
    expect(page).toContain('<input type="hidden" name="upload" value="">')
    expect(page).not.toMatch(/<script>/)
    const script = await fetch(`${s.url}/lti/static/mentoring-upload.js`)
    expect(script.status).toBe(200)
    expect(await script.text()).toContain('/lti/mentoring/uploads')
  })

  it('resumes after a cut mid-upload from the server\'s offset, and the session takes the whole photo', async () => {
    const photo = jpeg(2 * CHUNK + 1000)
    const created = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'sesi.jpg', size: photo.length })
    expect(created).toMatchObject({ status: 201, json: { offset: 0, size: photo.length, chunkSize: CHUNK } })
    const id = created.json.id as string
    expect((await api(mentor, 'PUT', `/uploads/${id}?offset=0`, photo.subarray(0, CHUNK))).json).toMatchObject({ offset: CHUNK })

    // The connection drops while the second chunk travels: the server keeps nothing of it.
    const cut = new AbortController()
    const stream = new ReadableStream<Uint8Array>({
      start(controller) { controller.enqueue(new Uint8Array(photo.subarray(CHUNK, CHUNK + 1000))); setTimeout(() => cut.abort(), 50) },
    })
    await expect(fetch(`${s.url}/lti/mentoring/uploads/${id}?offset=${CHUNK}`, {
      method: 'PUT', body: stream, duplex: 'half', signal: cut.signal,
      headers: { cookie: mentor.cookie, 'x-tln-csrf': csrf, 'content-type': 'application/octet-stream', 'content-length': String(CHUNK) },
    } as RequestInit)).rejects.toThrow()
    // The client asks where the server stands and goes on from there; a stale offset is answered with the right one.
    expect((await api(mentor, 'GET', `/uploads/${id}`)).json).toMatchObject({ offset: CHUNK, size: photo.length })
    expect(await api(mentor, 'PUT', `/uploads/${id}?offset=0`, photo.subarray(0, CHUNK))).toMatchObject({ status: 409, json: { code: 'ERR_TOOL_UPLOAD_OFFSET', offset: CHUNK } })
    expect((await api(mentor, 'PUT', `/uploads/${id}?offset=${CHUNK}`, photo.subarray(CHUNK, 2 * CHUNK))).json).toMatchObject({ offset: 2 * CHUNK })
    expect((await api(mentor, 'PUT', `/uploads/${id}?offset=${2 * CHUNK}`, photo.subarray(2 * CHUNK))).json).toMatchObject({ offset: photo.length })

    const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: todayWita(Date.now()), duration: '60', topic: 'RPPH', upload: id })
    expect(res.status).toBe(303)
    const sessionId = /\/sessions\/([^/]+)\/share/.exec(res.headers.get('location')!)![1]!
    const row = await s.db.knex('mentoring_session').where({ id: sessionId }).first('evidence', 'evidence_type', 'evidence_size', 'evidence_name')
    expect(row).toMatchObject({ evidence_type: 'image/jpeg', evidence_size: photo.length, evidence_name: 'sesi.jpg' })
    expect(Buffer.from(row.evidence).equals(photo)).toBe(true)
    expect(await uploads()).toEqual([])
  })

  it('refuses content that is no photo or PDF at the first chunk (415), keeping nothing', async () => {
    const zip = Buffer.from('PK\u0003\u0004 not a photo at all, a zip', 'latin1')
    const { json } = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'bukti.jpg', size: zip.length })
    const put = await api(mentor, 'PUT', `/uploads/${json.id as string}?offset=0`, zip)
    expect(put).toMatchObject({ status: 415, json: { code: 'ERR_TOOL_UNSUPPORTED_FILE', message: { id: expect.any(String), en: expect.any(String) } } })
    expect(await uploads()).toEqual([])
  })

  it('refuses an oversize file before any content travels (413), and a chunk beyond the announced size', async () => {
    const big = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'besar.jpg', size: 10 * 1024 * 1024 + 1 })
    expect(big).toMatchObject({ status: 413, json: { code: 'ERR_TOOL_FILE_TOO_LARGE', message: { id: expect.stringContaining('besar'), en: expect.any(String) } } })
    expect((await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'x.jpg', size: 0 })).status).toBe(400)
    expect(await uploads()).toEqual([])
    const small = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'kecil.jpg', size: 10 })
    expect((await api(mentor, 'PUT', `/uploads/${small.json.id as string}?offset=0`, jpeg(11))).status).toBe(413)
    await s.db.knex('mentoring_upload').delete()
  })

  it('an unfinished upload named by the form is a clear problem beside the file field, and nothing is stored', async () => {
    const { json } = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'sesi.jpg', size: CHUNK + 1 })
    await api(mentor, 'PUT', `/uploads/${json.id as string}?offset=0`, jpeg(CHUNK))
    const sessions = await s.db.knex('mentoring_session').count('* as n').first()
    const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: todayWita(Date.now()), duration: '60', topic: 'RPPH', upload: json.id as string })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Unggahan bukti belum selesai')
    expect(await s.db.knex('mentoring_session').count('* as n').first()).toEqual(sessions)
    await s.db.knex('mentoring_upload').delete()
  })

  it('another person\'s relation or upload is not found (404), and a write without the CSRF token is refused (403)', async () => {
    const { json } = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'sesi.jpg', size: 100 })
    const rinaCsrf = await rina.csrf()
    expect((await api(rina, 'GET', `/uploads/${json.id as string}`, undefined, rinaCsrf)).status).toBe(404)
    expect((await api(rina, 'PUT', `/uploads/${json.id as string}?offset=0`, jpeg(100), rinaCsrf)).status).toBe(404)
    expect((await api(rina, 'POST', '/uploads', { relation: relationId, fileName: 'x.jpg', size: 100 }, rinaCsrf)).status).toBe(404)
    expect((await api(mentor, 'PUT', `/uploads/${json.id as string}?offset=0`, jpeg(100), null)).status).toBe(403)
    expect(await uploads()).toEqual([expect.objectContaining({ received: 0 })])
    await s.db.knex('mentoring_upload').delete()
  })

  it('the cleanup deletes upload sessions never completed after 24 hours, bytes and all, and keeps younger ones', async () => {
    const { json } = await api(mentor, 'POST', '/uploads', { relation: relationId, fileName: 'lama.jpg', size: CHUNK + 1 })
    await api(mentor, 'PUT', `/uploads/${json.id as string}?offset=0`, jpeg(CHUNK))
    expect(await s.tool.cleanup()).toMatchObject({ mentoring_upload: 0, task_upload: 0 })
    s.advance(23 * HOUR)
    expect(await s.tool.cleanup()).toMatchObject({ mentoring_upload: 0 })
    expect(await uploads()).toHaveLength(1)
    s.advance(2 * HOUR)
    expect(await s.tool.cleanup()).toMatchObject({ mentoring_upload: 1, task_upload: 0 })
    expect(await uploads()).toEqual([])
  })
})

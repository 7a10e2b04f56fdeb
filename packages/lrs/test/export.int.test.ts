import { testEngine, waitForHorizon } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSV_COLUMNS } from '../src/index.ts'
import { aStatement, createTestLrs, V103, type TestLrs } from './test-lrs.ts'

let t: TestLrs
const KECAMATAN = 'https://tln.example/xapi/extensions/kecamatan'
const NPSN = 'https://tln.example/xapi/extensions/npsn'
const SCORED = 'http://adlnet.gov/expapi/verbs/scored'

beforeAll(async () => {
  t = await createTestLrs()
  t.app.use('/api/export', t.lrs.exportRouter)
  const statements = Array.from({ length: 25 }, (_, i) =>
    aStatement({
      verb: { id: i % 5 === 0 ? SCORED : 'http://adlnet.gov/expapi/verbs/completed' },
      actor: { objectType: 'Agent', name: `Guru "${i}", TK Pertiwi`, account: { homePage: 'https://elearning.bppaudntb.example', name: `ptk-${i}` } },
      result: { score: { scaled: 0.5, raw: 50 }, success: true, completion: true },
      context: { registration: '75dc8c86-41ce-5f65-a717-396f02a06a34', extensions: { [KECAMATAN]: 'https://tln.example/id/lombok-tengah/kecamatan/praya-barat', [NPSN]: '50200123' } },
    }),
  )
  const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statements)
  expect(res.status).toBe(200)
  // An export ends at the stream horizon, which another test database's open transaction holds back.
  await waitForHorizon(t.db.knex)
})
afterAll(async () => {
  await t.close()
})

function ndjson(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe(`GET /api/export/statements on ${testEngine()}`, () => {
  it('streams every statement as NDJSON, oldest first, with the cursor to resume from in a header', async () => {
    const res = await t.http.get('/api/export/statements').set('Authorization', t.auth)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/)
    expect(res.headers['x-tln-export-complete']).toBe('true')
    expect(res.headers['x-tln-next-cursor']).toMatch(/^[A-Za-z0-9_-]+$/)
    const rows = ndjson(res.text)
    expect(rows).toHaveLength(25)
    expect(rows[0]!.actor).toMatchObject({ account: { name: 'ptk-0' } })
    expect(rows[24]!.actor).toMatchObject({ account: { name: 'ptk-24' } })
  })

  it('resumes from the cursor with only statements stored after the export', async () => {
    const first = await t.http.get('/api/export/statements').set('Authorization', t.auth)
    const cursor = first.headers['x-tln-next-cursor'] as string
    const empty = await t.http.get('/api/export/statements').query({ cursor }).set('Authorization', t.auth)
    expect(ndjson(empty.text)).toEqual([])
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement())).body as string[]
    await waitForHorizon(t.db.knex)
    const next = await t.http.get('/api/export/statements').query({ cursor }).set('Authorization', t.auth)
    expect(ndjson(next.text).map((s) => s.id)).toEqual([id])
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id } }))
    await waitForHorizon(t.db.knex)
  })

  it('cuts answers at limit and links the next piece; the pieces together are the whole export', async () => {
    const ids: string[] = []
    let url: string | undefined = '/api/export/statements?limit=10'
    let pieces = 0
    while (url !== undefined) {
      const res = await t.http.get(url).set('Authorization', t.auth)
      pieces++
      ids.push(...ndjson(res.text).map((s) => s.id as string))
      const link = res.headers.link as string | undefined
      if (res.headers['x-tln-export-complete'] === 'false') {
        expect(link).toMatch(/^<\/api\/export\/statements\?.*cursor=.*>; rel="next"$/)
        url = /^<([^>]+)>/.exec(link!)![1]
      } else {
        expect(link).toBeUndefined()
        url = undefined
      }
    }
    const whole = ndjson((await t.http.get('/api/export/statements').set('Authorization', t.auth)).text).map((s) => s.id)
    expect(ids).toEqual(whole)
    expect(pieces).toBeGreaterThanOrEqual(3)
  })

  it('leaves voided statements out, as statement queries do (xAPI 1.0.3 Data 2.3.2)', async () => {
    const rows = ndjson((await t.http.get('/api/export/statements').set('Authorization', t.auth)).text)
    const voiding = rows.find((s) => (s.verb as { id: string }).id === 'http://adlnet.gov/expapi/verbs/voided')!
    const target = (voiding.object as { id: string }).id
    expect(rows.map((s) => s.id)).not.toContain(target)
  })

  it('filters by verb, activity and stored time', async () => {
    const scored = ndjson((await t.http.get('/api/export/statements').query({ verb: SCORED }).set('Authorization', t.auth)).text)
    expect(scored).toHaveLength(5)
    const all = ndjson((await t.http.get('/api/export/statements').set('Authorization', t.auth)).text)
    const activity = (all[3]!.object as { id: string }).id
    const one = ndjson((await t.http.get('/api/export/statements').query({ activity }).set('Authorization', t.auth)).text)
    expect(one.map((s) => s.id)).toEqual([all[3]!.id])
    const future = ndjson((await t.http.get('/api/export/statements').query({ since: '2999-01-01T00:00:00Z' }).set('Authorization', t.auth)).text)
    expect(future).toEqual([])
    const until = ndjson((await t.http.get('/api/export/statements').query({ until: '2999-01-01T00:00:00Z' }).set('Authorization', t.auth)).text)
    expect(until.length).toBe(all.length)
  })

  it('writes CSV (RFC 4180) with the TLN columns and the statement JSON last', async () => {
    const res = await t.http.get('/api/export/statements').query({ format: 'csv', verb: SCORED }).set('Authorization', t.auth)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    const records = res.text.split('\r\n').filter((l) => l !== '')
    expect(records[0]).toBe(CSV_COLUMNS.join(','))
    expect(records).toHaveLength(6)
    // "Guru "0", TK Pertiwi" holds a quote and a comma: quoted, quote doubled.
    expect(records[1]).toContain(',"Guru ""0"", TK Pertiwi",')
    expect(records[1]).toContain('https://elearning.bppaudntb.example#ptk-0')
    expect(records[1]).toContain(',0.5,50,true,true,75dc8c86-41ce-5f65-a717-396f02a06a34,https://tln.example/id/lombok-tengah/kecamatan/praya-barat,50200123,,')
  })

  it('records every export in the audit log: who, filters, rows, finished (UU 27/2022)', async () => {
    await t.http.get('/api/export/statements').query({ verb: SCORED, format: 'csv' }).set('Authorization', t.auth)
    const tenantId = ((await t.db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    const [last] = await t.lrs.exports.auditLog(tenantId, 1)
    expect(last).toMatchObject({ format: 'csv', rows: 5, completed: true, filters: { verb: SCORED, format: 'csv' } })
    expect(last!.credential_key).toEqual(expect.any(String))
  })

  it('answers HEAD with the headers of GET and no content, reading no statements and recording no export (RFC 9110 §9.3.2)', async () => {
    const tenantId = ((await t.db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    const before = await t.lrs.exports.auditLog(tenantId, 1000)
    const head = await t.http.head('/api/export/statements').query({ limit: 10 }).set('Authorization', t.auth)
    const get = await t.http.get('/api/export/statements').query({ limit: 10 }).set('Authorization', t.auth)
    expect(head.status).toBe(200)
    for (const name of ['content-type', 'x-tln-next-cursor', 'x-tln-export-complete', 'link']) expect(head.headers[name], name).toBe(get.headers[name])
    expect(head.text ?? '').toBe('')
    // Only the GET took statements: a HEAD used to stream the whole export into nothing and record it as taken.
    const after = await t.lrs.exports.auditLog(tenantId, 1000)
    expect(after.length - before.length).toBe(1)
    expect(after[0]).toMatchObject({ rows: 10, completed: true })
  })

  it('needs credentials (401), a read scope over all statements (403), and valid parameters (400)', async () => {
    expect((await t.http.get('/api/export/statements')).status).toBe(401)
    const writer = await t.credential(['statements/write'])
    expect((await t.http.get('/api/export/statements').set('Authorization', writer)).status).toBe(403)
    const mine = await t.credential(['statements/read/mine'])
    expect((await t.http.get('/api/export/statements').set('Authorization', mine)).status).toBe(403)
    const reader = await t.credential(['statements/read'])
    expect((await t.http.get('/api/export/statements').set('Authorization', reader)).status).toBe(200)
    for (const query of [{ format: 'xml' }, { since: '2026-03-01' }, { verb: 'completed' }, { cursor: 'garbage' }, { limit: '0' }, { agent: '{}' }]) {
      const res = await t.http.get('/api/export/statements').query(query).set('Authorization', t.auth)
      expect(res.status, JSON.stringify(query)).toBe(400)
      expect(res.body.error.code).toBe('ERR_LRS_BAD_REQUEST')
    }
  })

  it('answers another method with 405 and Allow: GET, HEAD before asking for credentials, as the xAPI resources do (RFC 9110 §15.5.6); another path stays 404', async () => {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const res = await t.http[method]('/api/export/statements')
      expect(res.status, method).toBe(405)
      expect(res.headers.allow).toBe('GET, HEAD')
      expect(res.body).toMatchObject({ error: { code: 'ERR_LRS_METHOD_NOT_ALLOWED', path: 'method' } })
    }
    const other = await t.http.post('/api/export/agents').set('Authorization', t.auth)
    expect(other.status).toBe(404)
    expect(other.body).toMatchObject({ error: { code: 'ERR_LRS_NOT_FOUND' } })
  })

  it('never shows another tenant its statements', async () => {
    await t.db.knex('tenant').insert({ slug: 'dompu', name: 'Dompu' })
    const other = await t.credential(['all'], 'dompu')
    const res = await t.http.get('/api/export/statements').set('Authorization', other)
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
  })

  it('writes names outside ASCII as UTF-8, byte for byte, in NDJSON and CSV (RFC 8259 §8.1: JSON text exchanged between systems MUST be encoded using UTF-8)', async () => {
    const cursor = (await t.http.get('/api/export/statements').set('Authorization', t.auth)).headers['x-tln-next-cursor'] as string
    const name = 'Ni Luh Putu Ayu Déwi 🌺, TK Ｐertiwi'
    const post = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ actor: { objectType: 'Agent', name, mbox: 'mailto:ayu@tk.example' } }))
    expect(post.status).toBe(200)
    await waitForHorizon(t.db.knex)
    const bytes = async (format: string) => {
      const res = await t.http.get('/api/export/statements').query({ cursor, format }).set('Authorization', t.auth).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => done(null, Buffer.concat(chunks)))
      })
      return res.body as Buffer
    }
    const line = (await bytes('ndjson')).toString('utf8')
    expect(line.endsWith('}\n')).toBe(true)
    expect((ndjson(line)[0]!.actor as { name: string }).name).toBe(name)
    const csv = (await bytes('csv')).toString('utf8').split('\r\n')
    expect(csv[1]).toContain(`,"${name}",`)
  })
})

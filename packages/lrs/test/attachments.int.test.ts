import { randomBytes, randomUUID, createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attachmentFor, multipartBody, part, rawBody, readMultipartAnswer, sha256 } from './multipart-request.ts'
import { aStatement, createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs({ bodyLimit: 256 * 1024, maxAttachmentSize: 64 * 1024 })
})
afterAll(() => t.close())

async function counts(): Promise<{ statements: number; contents: number }> {
  const s = await t.db.knex('xapi_statement').count<{ count: number }[]>('* as count').first()
  const a = await t.db.knex('xapi_attachment').count<{ count: number }[]>('* as count').first()
  return { statements: Number(s!.count), contents: Number(a!.count) }
}

function post(contentType: string, body: Buffer, version = V103) {
  return t.http.post('/xapi/statements').set(version).set('Authorization', t.auth).set('Content-Type', contentType).send(body)
}

function getRaw(query: string) {
  return t.http.get(`/xapi/statements?${query}`).set(V103).set('Authorization', t.auth).buffer(true).parse(rawBody)
}

/** Content with CRLFs, dashes and every byte value, so that only a binary-safe path survives. */
function awkwardContent(): Buffer {
  return Buffer.concat([Buffer.from('\r\n--tln-test\r\n\r\n'), randomBytes(2048), Buffer.from(Array.from({ length: 256 }, (_, i) => i))])
}

describe('multipart/mixed statement requests (xAPI 1.0.3 Communication 1.5.2)', () => {
  it('stores an attachment part and returns it byte-exact with attachments=true (Communication 1.5.2.s3.b1, 2.1.3)', async () => {
    const content = awkwardContent()
    const statement = aStatement({ attachments: [attachmentFor(content)] })
    const { contentType, body } = multipartBody(statement, [part(content, { 'Content-Type': 'application/pdf' })])
    const [id] = (await post(contentType, body).expect(200)).body

    const res = await getRaw(`statementId=${id}&attachments=true`).expect(200)
    expect(res.get('Content-Type')).toMatch(/^multipart\/mixed; boundary=/)
    const parts = readMultipartAnswer(res.get('Content-Type')!, res.body as Buffer)
    expect(parts).toHaveLength(2)
    expect(parts[0]!.headers.get('content-type')).toBe('application/json')
    expect(JSON.parse(parts[0]!.body.toString()).id).toBe(id)
    expect(parts[1]!.headers.get('content-type')).toBe('application/pdf')
    expect(parts[1]!.headers.get('content-transfer-encoding')).toBe('binary')
    expect(parts[1]!.headers.get('x-experience-api-hash')).toBe(sha256(content))
    expect(parts[1]!.body.equals(content)).toBe(true)
  })

  it('accepts PUT with multipart/mixed (Communication 1.5.2.s3.b4)', async () => {
    const content = Buffer.from('Promes semester 1')
    const id = randomUUID()
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content)])
    await t.http.put(`/xapi/statements?statementId=${id}`).set(V2).set('Authorization', t.auth).set('Content-Type', contentType).send(body).expect(204)
    const res = await getRaw(`statementId=${id}&attachments=true`).expect(200)
    expect(readMultipartAnswer(res.get('Content-Type')!, res.body as Buffer)[1]!.body.equals(content)).toBe(true)
  })

  it('answers a StatementResult query with attachments=true: the JSON first, then one part per distinct sha2 (Communication 2.1.3)', async () => {
    const shared = Buffer.from(`shared photo ${randomUUID()}`)
    const own = Buffer.from(`own photo ${randomUUID()}`)
    const registration = randomUUID()
    const context = { registration }
    const statements = [
      aStatement({ context, attachments: [attachmentFor(shared, { contentType: 'image/jpeg' })] }),
      aStatement({ context, attachments: [attachmentFor(shared, { contentType: 'image/jpeg' }), attachmentFor(own, { contentType: 'image/png' })] }),
    ]
    const { contentType, body } = multipartBody(statements, [part(shared), part(own)])
    await post(contentType, body).expect(200)

    const res = await getRaw(`registration=${registration}&attachments=true`).expect(200)
    const parts = readMultipartAnswer(res.get('Content-Type')!, res.body as Buffer)
    expect(JSON.parse(parts[0]!.body.toString()).statements).toHaveLength(2)
    const byHash = new Map(parts.slice(1).map((p) => [p.headers.get('x-experience-api-hash'), p]))
    expect(parts).toHaveLength(3)
    expect(byHash.get(sha256(shared))!.body.equals(shared)).toBe(true)
    expect(byHash.get(sha256(own))!.body.equals(own)).toBe(true)
  })

  it('answers plain JSON without attachments=true, even for statements with attachment content (Communication 2.1.3)', async () => {
    const content = Buffer.from('RPPH week 3')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content)])
    const [id] = (await post(contentType, body).expect(200)).body
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.body.attachments[0].sha2).toBe(sha256(content))
  })

  it('accepts a multipart/mixed request with no attachments at all (Communication 1.5.2.s3.b8)', async () => {
    const { contentType, body } = multipartBody(aStatement(), [])
    await post(contentType, body).expect(200)
  })

  it('matches a SHA-512 sha2 with the SHA-512 of the part (Data 2.4.11; Communication 1.5.2.s4.b4)', async () => {
    const content = Buffer.from('observation notes')
    const sha512 = createHash('sha512').update(content).digest('hex')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content, { sha2: sha512 })] }), [part(content, { 'X-Experience-API-Hash': sha512 })])
    await post(contentType, body).expect(200)
  })

  it('counts attachments of a SubStatement: their content needs a part too (Data 2.4.4.3, Communication 1.5.2.s3.b5)', async () => {
    const content = Buffer.from('plan for next week')
    const sub = { objectType: 'SubStatement', actor: { mbox: 'mailto:guru@paud.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/planned' }, object: { id: 'https://tln.example/plan/1' }, attachments: [attachmentFor(content)] }
    const missing = multipartBody(aStatement({ object: sub }), [])
    const res = await post(missing.contentType, missing.body).expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_INVALID_ATTACHMENT', path: 'object.attachments[0].sha2' })

    const { contentType, body } = multipartBody(aStatement({ object: sub }), [part(content)])
    const [id] = (await post(contentType, body).expect(200)).body
    const got = await getRaw(`statementId=${id}&attachments=true`).expect(200)
    expect(readMultipartAnswer(got.get('Content-Type')!, got.body as Buffer)[1]!.body.equals(content)).toBe(true)
  })
})

describe('fileUrl attachments (xAPI 1.0.3 Communication 1.5.1, 1.5.2.s2.b1)', () => {
  const fileUrl = 'https://files.tln.example/rpph/7.pdf'

  it('accepts application/json when every attachment has a fileUrl (Communication 1.5.1.s1.b2)', async () => {
    const statement = aStatement({ attachments: [attachmentFor(Buffer.from('elsewhere'), { fileUrl })] })
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statement).expect(200)
  })

  it('accepts multipart/mixed with only fileUrl attachments and no parts (Communication 1.5.2.s3.b9), and sends no part for them', async () => {
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(Buffer.from('elsewhere too'), { fileUrl })] }), [])
    const [id] = (await post(contentType, body).expect(200)).body
    const res = await getRaw(`statementId=${id}&attachments=true`).expect(200)
    expect(readMultipartAnswer(res.get('Content-Type')!, res.body as Buffer)).toHaveLength(1)
  })

  it('rejects application/json with an attachment that has no fileUrl (Communication 1.5.2.s2.b1)', async () => {
    const before = await counts()
    const statement = aStatement({ attachments: [attachmentFor(Buffer.from('x'), { fileUrl })], context: {} })
    ;(statement.attachments as unknown[]).push(attachmentFor(Buffer.from('no url')))
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement(), statement]).expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_INVALID_ATTACHMENT', path: '[1].attachments[1].fileUrl' })
    expect(await counts()).toEqual(before)
  })
})

describe('bad attachment parts change nothing (xAPI 1.0.3 Communication 1.5.2)', () => {
  async function rejects(contentType: string, body: Buffer, code: string, path?: string) {
    const before = await counts()
    const res = await post(contentType, body).expect(400)
    expect(res.body.error.code).toBe(code)
    if (path !== undefined) expect(res.body.error.path).toBe(path)
    expect(await counts()).toEqual(before)
    return res
  }

  it('rejects a part whose content does not have the hash of its X-Experience-API-Hash (Communication 1.5.2.s1.b4)', async () => {
    const content = Buffer.from('the real file')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(Buffer.from('a tampered file'), { 'X-Experience-API-Hash': sha256(content) })])
    await rejects(contentType, body, 'ERR_LRS_INVALID_ATTACHMENT', 'multipart[1].X-Experience-API-Hash')
  })

  it('rejects an attachment without fileUrl whose part is missing (Communication 1.5.2.s3.b5)', async () => {
    const content = Buffer.from('never sent')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [])
    await rejects(contentType, body, 'ERR_LRS_INVALID_ATTACHMENT', 'attachments[0].sha2')
  })

  it('rejects a part that no attachment declares (Communication 1.5.2.s1.b4, 1.5.2.s2.b2.b2)', async () => {
    const content = Buffer.from('declared')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content), part(Buffer.from('stray'))])
    await rejects(contentType, body, 'ERR_LRS_INVALID_ATTACHMENT', 'multipart[2].X-Experience-API-Hash')
  })

  it('rejects a body whose boundary is not the one in Content-Type (RFC 2046 §5.1.1; Communication 1.5.2.s2.b2)', async () => {
    const { body } = multipartBody(aStatement(), [])
    await rejects('multipart/mixed; boundary=something-else', body, 'ERR_LRS_INVALID_MULTIPART')
  })

  it('rejects multipart/mixed without a boundary parameter (RFC 2046 §5.1.1)', async () => {
    const { body } = multipartBody(aStatement(), [])
    await rejects('multipart/mixed;', body, 'ERR_LRS_INVALID_MULTIPART', 'Content-Type')
  })

  it('rejects a body that is not closed by the close delimiter (RFC 2046 §5.1.1)', async () => {
    const { contentType, body } = multipartBody(aStatement(), [])
    await rejects(contentType, body.subarray(0, body.length - 12), 'ERR_LRS_INVALID_MULTIPART')
  })

  it('rejects a first part that is not application/json (Communication 1.5.2.s2.b2.b1)', async () => {
    const { contentType, body } = multipartBody(aStatement(), [])
    await rejects(contentType, Buffer.from(body.toString('latin1').replace('application/json', 'text/plain'), 'latin1'), 'ERR_LRS_INVALID_MULTIPART', 'multipart[0].Content-Type')
  })

  it('rejects an attachment part without Content-Transfer-Encoding: binary (Communication 1.5.2.s2.b2.b4)', async () => {
    const content = Buffer.from('encoded?')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content, { 'Content-Transfer-Encoding': undefined })])
    await rejects(contentType, body, 'ERR_LRS_INVALID_MULTIPART', 'multipart[1].Content-Transfer-Encoding')
  })

  it('answers the first bad part without splitting the rest of the body: five thousand empty parts cost no more than one', async () => {
    // Part 1 lacks Content-Transfer-Encoding; what follows is 5,000 more empty parts and no close
    // delimiter. A reader that split the whole body first would name the missing close delimiter.
    const { contentType, body } = multipartBody(aStatement(), [])
    const boundary = contentType.slice(contentType.indexOf('boundary=') + 'boundary='.length).replace(/"/g, '')
    const head = body.toString('latin1').slice(0, body.toString('latin1').lastIndexOf(`--${boundary}--`))
    const flood = Buffer.from(head + `--${boundary}\r\n\r\n\r\n`.repeat(5_000), 'latin1')
    await rejects(contentType, flood, 'ERR_LRS_INVALID_MULTIPART', 'multipart[1].Content-Transfer-Encoding')
  })

  it('rejects an attachment part without X-Experience-API-Hash (Communication 1.5.2.s2.b2.b3)', async () => {
    const content = Buffer.from('unhashed')
    const { contentType, body } = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content, { 'X-Experience-API-Hash': undefined })])
    await rejects(contentType, body, 'ERR_LRS_INVALID_MULTIPART', 'multipart[1].X-Experience-API-Hash')
  })

  it('rejects multipart/form-data (Communication 1.5: only application/json or multipart/mixed)', async () => {
    const { body } = multipartBody(aStatement(), [])
    await rejects('multipart/form-data; boundary=x', body, 'ERR_LRS_BAD_REQUEST', 'Content-Type')
  })

  it('stores nothing of a batch when one statement lacks its part: all-or-nothing', async () => {
    const content = Buffer.from(`batch content ${randomUUID()}`)
    const { contentType, body } = multipartBody(
      [aStatement({ attachments: [attachmentFor(content)] }), aStatement({ attachments: [attachmentFor(Buffer.from('missing'))] })],
      [part(content)],
    )
    await rejects(contentType, body, 'ERR_LRS_INVALID_ATTACHMENT', '[1].attachments[0].sha2')
  })

  it('answers 413 for an attachment above the configured size, and 413 for a body above the body limit (Communication 1.5.2.s3.b7)', async () => {
    const big = randomBytes(64 * 1024 + 1)
    const tooBig = multipartBody(aStatement({ attachments: [attachmentFor(big)] }), [part(big)])
    const before = await counts()
    const res = await post(tooBig.contentType, tooBig.body).expect(413)
    expect(res.body.error.code).toBe('ERR_LRS_PAYLOAD_TOO_LARGE')
    expect(res.body.error.message).toMatch(/at most 65536 bytes per attachment/)
    const huge = randomBytes(300 * 1024)
    const overBody = multipartBody(aStatement({ attachments: [attachmentFor(huge)] }), [part(huge)])
    await post(overBody.contentType, overBody.body).expect(413)
    expect(await counts()).toEqual(before)
  })
})

describe('attachment storage (xAPI 1.0.3 Data 2.4.11)', () => {
  it('stores content once per tenant however many statements attach it', async () => {
    const content = Buffer.from(`the same module certificate ${randomUUID()}`)
    const one = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content)])
    const two = multipartBody([aStatement({ attachments: [attachmentFor(content)] }), aStatement({ attachments: [attachmentFor(content, { contentType: 'image/png' })] })], [part(content)])
    await post(one.contentType, one.body).expect(200)
    await post(two.contentType, two.body).expect(200)
    const rows = await t.db.knex('xapi_attachment').where({ sha2: sha256(content) }).count<{ count: number }[]>('* as count').first()
    expect(Number(rows!.count)).toBe(1)
  })

  it('keeps tenants apart: the same content is stored per tenant, and served only with that tenant\'s statements', async () => {
    await t.db.knex('tenant').insert({ slug: 'lombok-timur', name: 'Lombok Timur' })
    const other = await t.credential(['all'], 'lombok-timur')
    const content = Buffer.from(`tenant content ${randomUUID()}`)
    const request = multipartBody(aStatement({ attachments: [attachmentFor(content)] }), [part(content)])
    await post(request.contentType, request.body).expect(200)
    // The other tenant may attach the same file, with its own copy.
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', other).set('Content-Type', request.contentType).send(request.body).expect(200)).body
    const rows = await t.db.knex('xapi_attachment').where({ sha2: sha256(content) }).count<{ count: number }[]>('* as count').first()
    expect(Number(rows!.count)).toBe(2)
    const res = await t.http.get(`/xapi/statements?statementId=${id}&attachments=true`).set(V103).set('Authorization', other).buffer(true).parse(rawBody).expect(200)
    expect(readMultipartAnswer(res.get('Content-Type')!, res.body as Buffer)[1]!.body.equals(content)).toBe(true)
  })
})

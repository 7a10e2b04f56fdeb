import { randomUUID, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { CompactSign, generateKeyPair, importPKCS8, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attachmentFor, multipartBody, part, rawBody, readMultipartAnswer } from './multipart-request.ts'
import { aStatement, createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

/**
 * Signed statements (xAPI 1.0.3 Data 2.6; IEEE 9274.1.1 Data 4.4): real RSA keys and JWS made
 * with jose, and an X.509 chain from test/fixtures/signing (see its README).
 */
const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature'
const fixture = (name: string) => readFileSync(new URL(`./fixtures/signing/${name}`, import.meta.url), 'utf8')
const der = (pem: string) => new X509Certificate(pem).raw.toString('base64')
const signerChain = [der(fixture('signer.pem')), der(fixture('ca.pem'))]

let t: TestLrs
let key: CryptoKey
let signerKey: CryptoKey
beforeAll(async () => {
  t = await createTestLrs()
  key = (await generateKeyPair('RS256')).privateKey
  signerKey = await importPKCS8(fixture('signer.key.pem'), 'RS384')
})
afterAll(() => t.close())

async function count(): Promise<number> {
  const row = await t.db.knex('xapi_statement').count<{ count: number }[]>('* as count').first()
  return Number(row!.count)
}

async function jws(payload: string | object, header: Record<string, unknown> = { alg: 'RS256' }, signingKey: CryptoKey | Uint8Array = key): Promise<string> {
  const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload))
  return new CompactSign(bytes).setProtectedHeader(header as { alg: string }).sign(signingKey)
}

/** The statement with its signature attachment, as a multipart request with the JWS as a part. */
function signedRequest(statement: Record<string, unknown>, signature: string, contentType = 'application/octet-stream') {
  const content = Buffer.from(signature)
  const signed = { ...statement, attachments: [...((statement.attachments as unknown[]) ?? []), attachmentFor(content, { usageType: SIGNATURE, contentType, display: { 'en-US': 'Signature' } })] }
  return { signed, ...multipartBody(signed, [part(content)]) }
}

function post(request: { contentType: string; body: Buffer }, version = V103) {
  return t.http.post('/xapi/statements').set(version).set('Authorization', t.auth).set('Content-Type', request.contentType).send(request.body)
}

async function rejected(request: { contentType: string; body: Buffer }, version = V103) {
  const before = await count()
  const res = await post(request, version).expect(400)
  expect(res.body.error.code).toBe('ERR_LRS_INVALID_SIGNATURE')
  expect(await count()).toBe(before)
  return res.body.error as { message: string; path: string }
}

describe('accepted signatures (xAPI 1.0.3 Data 2.6)', () => {
  it('accepts a statement signed with RS256 whose payload is the statement (Data 2.6.s4.b1, 2.6.s5.b3)', async () => {
    const statement = aStatement({ id: randomUUID() })
    const request = signedRequest(statement, await jws(statement))
    const [id] = (await post(request).expect(200)).body
    expect(id).toBe(statement.id)
  })

  it('keeps the signature and returns it as a part with attachments=true (Data 2.6, Communication 2.1.3)', async () => {
    const statement = aStatement({ id: randomUUID() })
    const signature = await jws(statement)
    await post(signedRequest(statement, signature)).expect(200)
    const res = await t.http.get(`/xapi/statements?statementId=${statement.id}&attachments=true`).set(V103).set('Authorization', t.auth).buffer(true).parse(rawBody).expect(200)
    const parts = readMultipartAnswer(res.get('Content-Type')!, res.body as Buffer)
    expect(parts[1]!.headers.get('content-type')).toBe('application/octet-stream')
    expect(parts[1]!.body.toString()).toBe(signature)
  })

  it('verifies against the x5c certificate chain and accepts RS384 and RS512 (Data 2.6.s4.b4, 2.6.s5.b3.b3)', async () => {
    for (const alg of ['RS384', 'RS512']) {
      const statement = aStatement()
      const signingKey = await importPKCS8(fixture('signer.key.pem'), alg)
      await post(signedRequest(statement, await jws(statement, { alg, x5c: signerChain }, signingKey)), V2).expect(200)
    }
  })

  it('ignores LRS-assigned properties when comparing: a payload without id, timestamp or version matches (Data 2.6.s5.b3.b2, 2.3.1)', async () => {
    const statement = aStatement()
    const request = signedRequest({ ...statement, id: randomUUID(), timestamp: '2026-04-01T08:00:00.000Z', version: '1.0.3' }, await jws(statement))
    await post(request).expect(200)
  })

  it('keeps the other attachments in the comparison and accepts them beside the signature', async () => {
    const lessonPlan = Buffer.from('RPPH minggu 4')
    const statement = aStatement({ attachments: [attachmentFor(lessonPlan)] })
    const signature = Buffer.from(await jws(statement))
    const signed = { ...statement, attachments: [attachmentFor(lessonPlan), attachmentFor(signature, { usageType: SIGNATURE, contentType: 'application/octet-stream' })] }
    await post(multipartBody(signed, [part(lessonPlan), part(signature)])).expect(200)
  })
})

describe('malformed signatures are rejected with 400 and change nothing (xAPI 1.0.3 Data 2.6.s5.b1)', () => {
  it('rejects a payload that differs from the statement: the statement was tampered with after signing (Data 2.6.s5.b3.b2)', async () => {
    const statement = aStatement()
    const tampered = { ...statement, result: { score: { scaled: 1 } } }
    const error = await rejected(signedRequest(tampered, await jws(statement)))
    expect(error.message).toMatch(/not the same statement/)
    expect(error.path).toBe('attachments[0]')
  })

  it('rejects a payload whose id differs from the statement id (Data 2.6.s5.b3.b2)', async () => {
    const statement = aStatement({ id: randomUUID() })
    await rejected(signedRequest(statement, await jws({ ...statement, id: randomUUID() })))
  })

  it('rejects HS256 and every algorithm but RS256, RS384, RS512 (Data 2.6.s4.b4)', async () => {
    const statement = aStatement()
    const secret = new Uint8Array(32).fill(7)
    const error = await rejected(signedRequest(statement, await jws(statement, { alg: 'HS256' }, secret)))
    expect(error.message).toMatch(/RS256, RS384 or RS512/)
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(statement)).toString('base64url')}.`
    await rejected(signedRequest(statement, none))
  })

  it('rejects content that is not a JWS compact serialization (Data 2.6.s4.b2, RFC 7515 §7.1)', async () => {
    const statement = aStatement()
    await rejected(signedRequest(statement, 'this is not a JWS'))
    await rejected(signedRequest(statement, 'e30.e30'))
    await rejected(signedRequest(statement, `${Buffer.from('not json').toString('base64url')}.e30.c2ln`))
  })

  it('rejects a payload that is not valid JSON (Data 2.6.s4.b3; the ADL suite\'s "bad JSON serialization")', async () => {
    const statement = aStatement()
    await rejected(signedRequest(statement, await jws(JSON.stringify(statement).replace('"', "'"))))
  })

  it('rejects a signature attachment whose contentType is not application/octet-stream (Data 2.6.s4.b1)', async () => {
    const statement = aStatement()
    const error = await rejected(signedRequest(statement, await jws(statement), 'text/plain; charset=ascii'))
    expect(error.path).toBe('attachments[0].contentType')
  })

  it('rejects a signature that does not verify with the x5c certificate (Data 2.6.s5.b3.b3)', async () => {
    const statement = aStatement()
    // Signed with a fresh key, but claiming the fixture signer's certificate.
    const error = await rejected(signedRequest(statement, await jws(statement, { alg: 'RS256', x5c: signerChain }, key)))
    expect(error.message).toMatch(/does not verify/)
  })

  it('rejects a JWS whose signature bytes were altered, when it names a certificate (Data 2.6.s5.b3.b3)', async () => {
    const statement = aStatement()
    const good = await jws(statement, { alg: 'RS384', x5c: signerChain }, signerKey)
    const [h, p, s] = good.split('.')
    const flipped = `${h}.${p}.${s!.startsWith('A') ? `B${s!.slice(1)}` : `A${s!.slice(1)}`}`
    await rejected(signedRequest(statement, flipped))
  })

  it('rejects an x5c chain whose certificates do not certify each other (RFC 7515 §4.1.6)', async () => {
    const statement = aStatement()
    const error = await rejected(signedRequest(statement, await jws(statement, { alg: 'RS384', x5c: [signerChain[0], signerChain[0]] }, signerKey)))
    expect(error.message).toMatch(/x5c\[0\] is not issued/)
    await rejected(signedRequest(statement, await jws(statement, { alg: 'RS384', x5c: ['bm90IGEgY2VydA=='] }, signerKey)))
  })

  it('rejects a signature attachment sent with only a fileUrl: the LRS cannot check it (Data 2.6.s5.b3)', async () => {
    const statement = aStatement()
    const signed = { ...statement, attachments: [attachmentFor(Buffer.from(await jws(statement)), { usageType: SIGNATURE, contentType: 'application/octet-stream', fileUrl: 'https://tln.example/sig.jws' })] }
    const before = await count()
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(signed).expect(400)
    expect(res.body.error.code).toBe('ERR_LRS_INVALID_SIGNATURE')
    expect(await count()).toBe(before)
  })

  it('rejects the whole batch when one statement of it has a bad signature', async () => {
    const good = aStatement()
    const bad = aStatement()
    const goodSig = Buffer.from(await jws(good))
    const badSig = Buffer.from(await jws({ ...bad, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }))
    const batch = [
      { ...good, attachments: [attachmentFor(goodSig, { usageType: SIGNATURE, contentType: 'application/octet-stream' })] },
      { ...bad, attachments: [attachmentFor(badSig, { usageType: SIGNATURE, contentType: 'application/octet-stream' })] },
    ]
    const error = await rejected(multipartBody(batch, [part(goodSig), part(badSig)]))
    expect(error.path).toBe('[1].attachments[0]')
  })
})

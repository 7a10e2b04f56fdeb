import fc from 'fast-check'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V103, V2, type TestLrs } from '../test-lrs.ts'
import { attachmentFor, multipartBody, part } from '../multipart-request.ts'

/**
 * Property-based fuzzing through HTTP (issue 7, Security, "Input: never a crash or a 500, always a
 * clear 4xx"): GET /statements parameters (xAPI 1.0.3 Communication 2.1.3) and multipart/mixed
 * statement requests (Communication 1.5.2, RFC 2046 §5.1.1).
 */
let t: TestLrs
const RUNS = 40

beforeAll(async () => {
  t = await createTestLrs({ maxAttachmentSize: 64 * 1024 })
})
afterAll(async () => {
  await t.close()
})

const PARAMETERS = ['statementId', 'voidedStatementId', 'agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending', 'more', 'Agent', 'unknown'] as const
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', 'true', 'false', '0', '-1', '1e3', '99999999999999999999', 'null', '{}', '[]', '{"mbox":"mailto:a@b.example"}', '{"objectType":"Group"}', '2026-02-30T25:61:00Z', 'exact', 'ids', 'canonical', '5f1b9a3e-2c0d-4b7e-9a61-0c3f2f8e7d11', 'http://x', '%', '\u0000'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
)

/** The parameter names a 400 answer blames. */
function blamed(body: { error?: { path?: string; issues?: Array<{ path?: string }> } }): string[] {
  return [body.error?.path, ...(body.error?.issues ?? []).map((issue) => issue.path)].filter((p): p is string => p !== undefined)
}

describe(`GET /xapi/statements parameters under fuzzing on ${testEngine()} (Communication 2.1.3)`, () => {
  it('answers 200, 404 (a well-formed id that is not there) or 400 naming a parameter given; never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...PARAMETERS), value), { minLength: 1, maxLength: 4 }), fc.constantFrom(V103, V2), async (pairs, version) => {
        const query = new URLSearchParams(pairs).toString()
        const res = await t.http.get(`/xapi/statements?${query}`).set(version).set('Authorization', t.auth)
        const names = pairs.map(([name]) => name)
        expect([200, 400, 404], `GET ?${query} → ${res.status} ${res.text}`).toContain(res.status)
        if (res.status === 404) expect(names.some((n) => n === 'statementId' || n === 'voidedStatementId')).toBe(true)
        if (res.status === 400) {
          expect(typeof res.body.error.message).toBe('string')
          expect(blamed(res.body).some((path) => names.includes(path as (typeof names)[number])), `${query} blamed ${JSON.stringify(res.body.error)}`).toBe(true)
        }
      }),
      { numRuns: RUNS * 2 },
    )
  })
})

/** A valid statement request with one attachment, as multipart/mixed. */
function validMultipart(boundary?: string): { contentType: string; body: Buffer } {
  const content = Buffer.from('RPPH minggu ke-3: bermain dengan bahan alam')
  const statement = aStatement({ attachments: [attachmentFor(content, { contentType: 'text/plain' })] })
  return multipartBody(statement, [part(content, { 'Content-Type': 'text/plain' })], boundary)
}

async function post(contentType: string, body: Buffer) {
  return t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).set('Content-Type', contentType).send(body)
}

function expectClearRejection(res: { status: number; body: { error?: { code?: string; message?: string } }; text: string }, what: string): void {
  expect(res.status, `${what} → ${res.status} ${res.text}`).toBeGreaterThanOrEqual(400)
  expect(res.status, `${what} → ${res.status} ${res.text}`).toBeLessThan(500)
  expect(typeof res.body.error?.code).toBe('string')
  expect(typeof res.body.error?.message).toBe('string')
}

describe(`multipart/mixed statement requests under fuzzing on ${testEngine()} (Communication 1.5.2)`, () => {
  it('answers random bytes under a random boundary with a clear 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 80 }), async (bytes, boundary) => {
        expectClearRejection(await post(`multipart/mixed; boundary="${boundary.replace(/["\\\r\n]/g, '')}"`, Buffer.from(bytes)), 'random bytes')
      }),
      { numRuns: RUNS },
    )
  })

  it('answers a valid request cut short at any byte with a clear 4xx', async () => {
    const { contentType, body } = validMultipart()
    expect((await post(contentType, body)).status).toBe(200)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: body.length - 3 }), async (end) => {
        expectClearRejection(await post(contentType, body.subarray(0, end)), `cut at ${end}`)
      }),
      { numRuns: RUNS },
    )
  })

  it('answers a valid request with bytes overwritten either 200 or a clear 4xx, never 500', async () => {
    const { contentType, body } = validMultipart()
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: body.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
        const copy = Buffer.from(body)
        for (const [at, byte] of flips) copy[at] = byte
        const res = await post(contentType, copy)
        if (res.status !== 200) expectClearRejection(res, `flipped ${JSON.stringify(flips)}`)
      }),
      { numRuns: RUNS },
    )
  })

  it('answers malformed Content-Type boundary parameters with a clear 4xx', async () => {
    const { body } = validMultipart()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom('multipart/mixed', 'multipart/mixed;', 'multipart/mixed; boundary=', 'multipart/mixed; boundary=""', `multipart/mixed; boundary=${'a'.repeat(71)}`, 'multipart/mixed; boundary="a b "', 'multipart/mixed; boundary=a; boundary=b')),
        async (contentType) => {
          const header = contentType.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '')
          const res = await post(header.startsWith('multipart/') ? header : `multipart/mixed; ${header}`, body)
          expectClearRejection(res, `Content-Type ${header}`)
        },
      ),
      { numRuns: RUNS },
    )
  })
})

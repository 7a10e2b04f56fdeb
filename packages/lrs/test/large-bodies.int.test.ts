import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestLrs, listen, V103, type TestLrs } from './test-lrs.ts'

/**
 * Real 50 MB request bodies over a socket against the default 10 MiB limit (issue 3: "a 50 MB
 * body"). The LRS answers 413 as soon as the limit is passed, without reading the rest, so the
 * client must read the answer while it is still sending, as curl and browsers do.
 */
let t: TestLrs
let stop: () => Promise<void>
let base: string
beforeAll(async () => {
  t = await createTestLrs()
  const listening = await listen(t)
  stop = listening.stop
  base = listening.base
})
afterAll(async () => {
  await stop()
  await t.close()
})

function send(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }))
    })
    // The server may close the connection once it has answered: the rest of the upload is moot.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)))
    req.end(body)
  })
}

const FIFTY_MB = 50 * 1024 * 1024

async function counts() {
  const statements = await t.db.knex('xapi_statement').count<{ count: number }[]>('* as count').first()
  const documents = await t.db.knex('xapi_document').count<{ count: number }[]>('* as count').first()
  return [Number(statements!.count), Number(documents!.count)]
}

describe('oversized bodies get 413 and change nothing', () => {
  it('POST /statements with a 50 MB body', async () => {
    const before = await counts()
    const body = Buffer.alloc(FIFTY_MB, 0x20)
    body.write('[', 0)
    const res = await send('POST', '/xapi/statements', { ...V103, Authorization: t.auth, 'Content-Type': 'application/json' }, body)
    expect(res.status).toBe(413)
    expect(res.json.error.code).toBe('ERR_LRS_PAYLOAD_TOO_LARGE')
    expect(await counts()).toEqual(before)
  })

  it('PUT of a 50 MB State document', async () => {
    const before = await counts()
    const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:guru@paud.example' }))
    const path = `/xapi/activities/state?activityId=${encodeURIComponent('https://tln.example/m/1')}&agent=${agent}&stateId=big`
    const res = await send('PUT', path, { ...V103, Authorization: t.auth, 'Content-Type': 'application/octet-stream' }, Buffer.alloc(FIFTY_MB, 1))
    expect(res.status).toBe(413)
    expect(await counts()).toEqual(before)
  })
})

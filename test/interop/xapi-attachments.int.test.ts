import { createHash } from 'node:crypto'
import type { Statement } from '@xapi/xapi'
import { connectXapi, XAPI } from './xapi-package.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestLrs, listen, type TestLrs } from '../../packages/lrs/test/test-lrs.ts'

/**
 * @xapi/xapi sends a statement with attachment content as multipart/mixed and reads it back with
 * `attachments=true` (xAPI 1.0.3 Communication 1.5.2, 2.1.3), over real HTTP.
 */
let t: TestLrs
let stop: () => Promise<void>
let xapi: XAPI

beforeAll(async () => {
  t = await createTestLrs()
  const listening = await listen(t)
  stop = listening.stop
  // The fetch adapter: with its default axios adapter, @xapi/xapi 3.0.3 sends the multipart Blob
  // as application/octet-stream (axios replaces the Content-Type with the Blob's empty type), which
  // any LRS must reject (Communication 1.5.2.s2.b2).
  xapi = await connectXapi(t.lrs, listening.base, 'xapi-client attachments interop', { adapter: 'fetch' })
})

afterAll(async () => {
  await stop()
  await t.close()
})

describe('@xapi/xapi attachments against TLN', () => {
  it('sends a statement with an attachment part and reads the statement and the content back', async () => {
    // The client reads multipart answers as text, one line per part body: keep the content one line.
    const content = Buffer.from('Refleksi guru: anak-anak senang bermain balok hari ini.')
    const sha2 = createHash('sha256').update(content).digest('hex')
    const statement: Statement = {
      actor: { objectType: 'Agent', name: 'Lale Sumiati', mbox: 'mailto:lale.sumiati@paud.example' },
      verb: { id: 'http://activitystrea.ms/schema/1.0/submit', display: { 'en-US': 'submitted' } },
      object: { objectType: 'Activity', id: 'https://tln.example/tasks/refleksi/1' },
      attachments: [
        {
          usageType: XAPI.AttachmentUsages.SUPPORTING_MEDIA,
          display: { 'en-US': 'Reflection', id: 'Refleksi' },
          contentType: 'text/plain',
          length: content.length,
          sha2,
        },
      ],
    }
    const sent = await xapi.sendStatement({ statement, attachments: [content as unknown as ArrayBuffer] })
    const id = sent.data[0]!

    const got = await xapi.getStatement({ statementId: id, attachments: true })
    const [json, attachment] = got.data as unknown as [Statement, string]
    expect(json.id).toBe(id)
    expect(json.attachments![0]!.sha2).toBe(sha2)
    expect(attachment).toBe(content.toString())
    const row = await t.db.knex('xapi_attachment').where({ sha2 }).first()
    expect(Buffer.from(row.content).equals(content)).toBe(true)
  })
})

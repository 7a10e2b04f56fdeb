/**
 * HTTP compression of the server's answers (`http/compression.ts`): content coding by
 * `Accept-Encoding` (RFC 9110 §12.5.3, §8.4), which media types, and flushing per chunk on the
 * streaming export. A small app with the middleware, on a real port, read with `node:http` (no
 * client that decodes for us).
 */
import { get, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, constants, createBrotliDecompress, createGunzip, gunzipSync } from 'node:zlib'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compressAnswers } from '../src/http/compression.ts'

const PAGE = `<!doctype html><html lang="id"><body>${'<tr><td>Praya</td><td>82%</td></tr>'.repeat(300)}</body></html>`
const TYPED: Record<string, string> = {
  'text/html; charset=utf-8': PAGE,
  'text/css; charset=utf-8': 'table{border-collapse:collapse}td{padding:.2rem}'.repeat(100),
  'text/javascript; charset=utf-8': 'document.querySelectorAll("td").forEach((td) => td.classList.add("x"));\n'.repeat(100),
  'text/csv; charset=utf-8; header=present': 'kecamatan,teachers,rating\r\nPraya,5,0.82\r\n'.repeat(200),
  'application/json; charset=utf-8': JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ kecamatan: 'Praya', teachers: i }))),
  'application/x-ndjson; charset=utf-8': '{"id":"s","verb":{"id":"http://adlnet.gov/expapi/verbs/completed"}}\n'.repeat(200),
}

let url: string
let close: () => Promise<void>
/** The streaming handler waits on this before its second chunk. */
let releaseSecond: () => void = () => {}

beforeAll(async () => {
  const app = express()
  app.use(compressAnswers())
  app.get('/page', (_req, res) => {
    res.type('html').send(PAGE)
  })
  app.get('/typed/:n', (req, res) => {
    const [type, body] = Object.entries(TYPED)[Number(req.params.n)]!
    res.set('Content-Type', type).send(body)
  })
  app.get('/multipart', (_req, res) => {
    const part = `--b\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ statements: Array(100).fill({ id: 'x' }) })}\r\n--b--\r\n`
    res.type('multipart/mixed; boundary=b').send(part)
  })
  app.get('/api/export/statements', (_req, res) => {
    res.set('Content-Type', 'application/x-ndjson; charset=utf-8')
    res.flushHeaders()
    res.write(`${'{"id":"first"}\n'.repeat(100)}`)
    // The second page is written only once the client has read the first: without a flush per chunk this never happens.
    new Promise<void>((resolve) => (releaseSecond = resolve)).then(() => res.end(`${'{"id":"second"}\n'.repeat(100)}`), () => {})
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
})

afterAll(async () => {
  await close()
})

function fetchRaw(path: string, acceptEncoding?: string): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${url}${path}`, { headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

describe('content coding by Accept-Encoding', () => {
  it('answers gzip when the client accepts gzip: Content-Encoding gzip, Vary Accept-Encoding, no Content-Length, the same page once decoded', async () => {
    const { res, body } = await fetchRaw('/page', 'gzip, deflate')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers.vary).toContain('Accept-Encoding')
    expect(res.headers['content-length']).toBeUndefined()
    expect(gunzipSync(body).toString('utf8')).toBe(PAGE)
    expect(body.length).toBeLessThan(PAGE.length / 10)
  })

  it('answers Brotli when the client accepts br and gzip alike', async () => {
    const { res, body } = await fetchRaw('/page', 'gzip, deflate, br')
    expect(res.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(body).toString('utf8')).toBe(PAGE)
  })

  it('answers identity when the client sends no Accept-Encoding, or asks for identity only', async () => {
    for (const accept of [undefined, 'identity']) {
      const { res, body } = await fetchRaw('/page', accept)
      expect(res.headers['content-encoding']).toBeUndefined()
      expect(body.toString('utf8')).toBe(PAGE)
    }
  })

  it('compresses HTML, CSS, JS, CSV, JSON and NDJSON', async () => {
    const types = Object.keys(TYPED)
    for (let n = 0; n < types.length; n++) {
      const { res, body } = await fetchRaw(`/typed/${n}`, 'gzip')
      expect(res.headers['content-encoding'], types[n]).toBe('gzip')
      expect(gunzipSync(body).toString('utf8')).toBe(TYPED[types[n]!])
    }
  })

  it('never compresses a multipart/mixed answer (xAPI statements with attachments), even when gzip is accepted', async () => {
    const { res, body } = await fetchRaw('/multipart', 'gzip, br')
    expect(res.headers['content-type']).toMatch(/^multipart\/mixed/u)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(body.toString('utf8')).toMatch(/^--b\r\n/u)
  })
})

describe('the streaming export stays streaming', () => {
  /** Reads the export decoded; the second chunk is only released once the first has been decoded. */
  async function firstThenRest(encoding: 'gzip' | 'br'): Promise<{ first: string; all: string; encoding: string | undefined }> {
    return new Promise((resolve, reject) => {
      get(`${url}/api/export/statements`, { headers: { 'Accept-Encoding': encoding } }, (res) => {
        const decoder = encoding === 'gzip' ? createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }) : createBrotliDecompress()
        let text = ''
        let first = ''
        decoder.on('data', (c: Buffer) => {
          text += c.toString('utf8')
          if (first === '' && text.endsWith('\n') && text.includes('first')) {
            first = text
            releaseSecond()
          }
        })
        decoder.on('end', () => resolve({ first, all: text, encoding: res.headers['content-encoding'] }))
        decoder.on('error', reject)
        res.pipe(decoder)
      }).on('error', reject)
    })
  }

  for (const encoding of ['gzip', 'br'] as const) {
    it(`${encoding}: the client decodes the first chunk before the server writes the next (flushed per chunk)`, async () => {
      const { first, all, encoding: used } = await firstThenRest(encoding)
      expect(used).toBe(encoding)
      expect(first).toBe('{"id":"first"}\n'.repeat(100))
      expect(all).toBe(`${'{"id":"first"}\n'.repeat(100)}${'{"id":"second"}\n'.repeat(100)}`)
    })
  }
})

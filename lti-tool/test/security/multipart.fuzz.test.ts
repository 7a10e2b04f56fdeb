import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMultipart } from '../../src/tasks/multipart.ts'

/**
 * Property-based fuzzing of the task form's multipart/form-data reader (RFC 7578; issue 7,
 * Security, "Input"): random bytes, random boundaries and truncated bodies give `undefined` (the
 * route answers 400) or fields and at most one file; never an exception, never a hang.
 */
const RUNS = 300

function form(boundary: string, fields: Record<string, string>, file?: { name: string; content: Buffer }): Buffer {
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  if (file !== undefined) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`), file.content, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return Buffer.concat(chunks)
}

function wellShaped(result: ReturnType<typeof parseMultipart>): void {
  if (result === undefined) return
  expect(Object.getPrototypeOf(result.fields)).toBe(Object.prototype)
  for (const value of Object.values(result.fields)) expect(typeof value).toBe('string')
  if (result.file !== undefined) expect(Buffer.isBuffer(result.file.content)).toBe(true)
}

const boundary = fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/)

describe('the task form multipart reader under fuzzing (RFC 7578)', () => {
  it('never throws on random bytes under a random Content-Type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.string({ maxLength: 120 }), (bytes, contentType) => {
        wellShaped(parseMultipart(Buffer.from(bytes), contentType))
        wellShaped(parseMultipart(Buffer.from(bytes), `multipart/form-data; ${contentType}`))
      }),
      { numRuns: RUNS },
    )
  })

  it('reads back what a well-formed form carries, for any boundary, field values and file bytes', () => {
    fc.assert(
      fc.property(boundary, fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 2048 }), (b, text, bytes) => {
        fc.pre(!`\r\n${text}`.includes(`\r\n--${b}`) && !bytes.toString().includes(b))
        const content = Buffer.from(bytes)
        fc.pre(!content.includes(Buffer.from(`\r\n--${b}`)))
        const result = parseMultipart(form(b, { csrf: 'token-1', note: text }, { name: 'rpph.pdf', content }), `multipart/form-data; boundary="${b}"`)
        expect(result?.fields.csrf).toBe('token-1')
        expect(result?.file?.content.equals(content)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('gives undefined or a well-shaped result for a form cut short at any byte', () => {
    const body = form('tln-form-boundary', { csrf: 'token-1', note: 'Catatan' }, { name: 'rpph.pdf', content: Buffer.alloc(300, 7) })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: body.length - 1 }), (end) => {
        const result = parseMultipart(body.subarray(0, end), 'multipart/form-data; boundary=tln-form-boundary')
        wellShaped(result)
        // Cut before the closing delimiter, the file is never taken as complete.
        if (end < body.length - 'tln-form-boundary--\r\n'.length) expect(result?.file).toBeUndefined()
      }),
      { numRuns: RUNS },
    )
  })

  it('keeps field names such as __proto__ from reaching the prototype', () => {
    const body = form('b1', { __proto__: 'x', constructor: 'y', csrf: 'z' } as Record<string, string>)
    const result = parseMultipart(Buffer.from(body.toString().replace('name="csrf"', 'name="__proto__"')), 'multipart/form-data; boundary=b1')
    wellShaped(result)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

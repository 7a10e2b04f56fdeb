import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { LrsError } from '../errors.ts'
import { multipartBoundary, multipartParts, parseMultipart } from './multipart.ts'
import { writeMultipart } from './multipart-writer.ts'

const bytes = (text: string) => Buffer.from(text, 'latin1')

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(LrsError)
    return (error as LrsError).code
  }
}

describe('multipartBoundary (RFC 2046 §5.1.1)', () => {
  it('reads a token boundary and a quoted boundary with the characters of the xAPI example (Communication 1.5.2.s6)', () => {
    expect(multipartBoundary('multipart/mixed; boundary=abc123')).toBe('abc123')
    expect(multipartBoundary(`multipart/mixed; boundary="abcABC0123'()+_,-./:=?"`)).toBe("abcABC0123'()+_,-./:=?")
    expect(multipartBoundary('Multipart/Mixed;charset=utf-8; BOUNDARY="a b"')).toBe('a b')
  })

  it('rejects a missing boundary parameter, as the ADL suite requires ("multipart/mixed;")', () => {
    expect(codeOf(() => multipartBoundary('multipart/mixed;'))).toBe('ERR_LRS_INVALID_MULTIPART')
    expect(codeOf(() => multipartBoundary('multipart/mixed'))).toBe('ERR_LRS_INVALID_MULTIPART')
  })

  it('rejects boundaries that are empty, longer than 70 characters, end in a space or use other characters', () => {
    for (const header of ['multipart/mixed; boundary=""', `multipart/mixed; boundary=${'x'.repeat(71)}`, 'multipart/mixed; boundary="ab "', 'multipart/mixed; boundary="a;b<"']) {
      expect(codeOf(() => multipartBoundary(header))).toBe('ERR_LRS_INVALID_MULTIPART')
    }
  })

  it('rejects an unquoted boundary with characters outside a token, and two boundary parameters', () => {
    expect(codeOf(() => multipartBoundary('multipart/mixed; boundary=a:b'))).toBe('ERR_LRS_INVALID_MULTIPART')
    expect(codeOf(() => multipartBoundary('multipart/mixed; boundary=a; boundary=b'))).toBe('ERR_LRS_INVALID_MULTIPART')
  })
})

describe('parseMultipart (RFC 2046 §5.1.1)', () => {
  it('splits parts, lowercases header names and keeps the body octets exactly', () => {
    const body = bytes('--b\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--b\r\nX-Experience-API-Hash: ab\r\nContent-Transfer-Encoding: binary\r\n\r\n\u0000\u00ff\r\n\r\n--b--\r\n')
    const parts = parseMultipart(body, 'b')
    expect(parts).toHaveLength(2)
    expect(parts[0]!.headers.get('content-type')).toBe('application/json')
    expect(parts[0]!.body.toString()).toBe('{"a":1}')
    expect(parts[1]!.headers.get('x-experience-api-hash')).toBe('ab')
    expect([...parts[1]!.body]).toEqual([0, 255, 13, 10])
  })

  it('ignores a preamble and an epilogue, allows transport padding and a missing final CRLF (the ADL suite sends both)', () => {
    const parts = parseMultipart(bytes('preamble\r\n--b  \t\r\nA: 1\r\n\r\nx\r\n--b--'), 'b')
    expect(parts.map((p) => p.body.toString())).toEqual(['x'])
    expect(parseMultipart(bytes('\r\n--b\r\n\r\ny\r\n--b--\r\nepilogue'), 'b')[0]!.body.toString()).toBe('y')
  })

  it('yields each part before it reads the next, so a caller can stop at the first bad one', () => {
    const parts = multipartParts(bytes('--b\r\nA: 1\r\n\r\nfirst\r\n--b\r\nnot a header\r\n\r\nx\r\n--b--'), 'b')
    expect(parts.next().value!.body.toString()).toBe('first')
    expect(codeOf(() => parts.next())).toBe('ERR_LRS_INVALID_MULTIPART')
  })

  it('reads a part without header fields and a part with an empty body', () => {
    const parts = parseMultipart(bytes('--b\r\n\r\nno headers\r\n--b\r\nA: 1\r\n\r\n\r\n--b--'), 'b')
    expect(parts[0]!.headers.size).toBe(0)
    expect(parts[0]!.body.toString()).toBe('no headers')
    expect(parts[1]!.body.length).toBe(0)
  })

  it('joins folded header lines (RFC 822 §3.1.1)', () => {
    const [part] = parseMultipart(bytes('--b\r\nContent-Type: text/plain;\r\n charset=ascii\r\n\r\nx\r\n--b--'), 'b')
    expect(part!.headers.get('content-type')).toBe('text/plain; charset=ascii')
  })

  it('rejects a body whose boundary differs from the Content-Type boundary (ADL suite: "boundary not provided in body")', () => {
    expect(codeOf(() => parseMultipart(bytes('--other\r\n\r\nx\r\n--other--'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
  })

  it('rejects a body without a close delimiter', () => {
    expect(codeOf(() => parseMultipart(bytes('--b\r\n\r\nx\r\n'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
  })

  it('rejects the boundary inside a part and LF-only line breaks (CRLF is required)', () => {
    expect(codeOf(() => parseMultipart(bytes('--b\r\n\r\nx\r\n--bee\r\n--b--'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
    expect(codeOf(() => parseMultipart(bytes('--b\nA: 1\n\nx\n--b--'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
  })

  it('rejects header lines without a colon, repeated header fields, unterminated headers and zero parts', () => {
    expect(codeOf(() => parseMultipart(bytes('--b\r\nnot a header\r\n\r\nx\r\n--b--'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
    expect(codeOf(() => parseMultipart(bytes('--b\r\nA: 1\r\na: 2\r\n\r\nx\r\n--b--'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
    expect(codeOf(() => parseMultipart(bytes('--b\r\nA: 1\r\n--b--'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
    expect(codeOf(() => parseMultipart(bytes('--b--\r\n'), 'b'))).toBe('ERR_LRS_INVALID_MULTIPART')
  })
})

describe('multipart properties', () => {
  const boundaryChar = fc.constantFrom(...`0123456789abcXYZ'()+_,-./:=?`.split(''))
  const boundary = fc.array(boundaryChar, { minLength: 1, maxLength: 70 }).map((cs) => cs.join(''))

  it('never throws anything but an LrsError, whatever the bytes and the boundary', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), boundary, (body, b) => {
        try {
          parseMultipart(Buffer.from(body), b)
        } catch (error) {
          if (!(error instanceof LrsError)) throw error
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws anything but an LrsError on near-miss bodies built from delimiters and CRLFs', () => {
    const token = fc.constantFrom('--b', '--b--', '\r\n', '\r', '\n', ':', 'A: 1', ' ', '\t', 'x', '--', 'b')
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        try {
          parseMultipart(Buffer.from(tokens.join(''), 'latin1'), 'b')
        } catch (error) {
          if (!(error instanceof LrsError)) throw error
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('never throws anything but an LrsError reading any Content-Type header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (tail) => {
        try {
          multipartBoundary(`multipart/mixed;${tail}`)
        } catch (error) {
          if (!(error instanceof LrsError)) throw error
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('reads back exactly what the writer wrote, for any part contents', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 5 }), (contents) => {
        const { boundary: b, body } = writeMultipart(contents.map((c, i) => ({ headers: [['X-Index', String(i)]], body: Buffer.from(c) })))
        const parts = parseMultipart(body, multipartBoundary(`multipart/mixed; boundary=${b}`))
        expect(parts.map((p) => [...p.body])).toEqual(contents.map((c) => [...c]))
        expect(parts.map((p) => p.headers.get('x-index'))).toEqual(contents.map((_, i) => String(i)))
      }),
    )
  })
})

import { describe, expect, it } from 'vitest'
import { parseMultipart } from './multipart.ts'

const CT = 'multipart/form-data; boundary=tln-b'
const part = (disposition: string, content: string) => `--tln-b\r\nContent-Disposition: ${disposition}\r\n\r\n${content}\r\n`
const body = (...parts: string[]) => Buffer.from(`${parts.join('')}--tln-b--\r\n`)

describe('the form-data reader (RFC 7578)', () => {
  it('reads text fields and the part named file, whatever the order of name and filename (§4.2)', () => {
    const result = parseMultipart(body(part('form-data; name="csrf"', 'token-1'), part('form-data; filename="rpph.pdf"; name="file"', '%PDF')), CT)
    expect(result?.fields).toEqual({ csrf: 'token-1' })
    expect(result?.file?.name).toBe('rpph.pdf')
    expect(result?.file?.content.toString()).toBe('%PDF')
  })

  it('reads a file name sent as raw UTF-8 bytes, as browsers send it (§4.2)', () => {
    const bytes = Buffer.concat([Buffer.from('--tln-b\r\nContent-Disposition: form-data; name="file"; filename="'), Buffer.from('RPPH Ibu Ni’mah.pdf', 'utf8'), Buffer.from('"\r\n\r\nx\r\n--tln-b--\r\n')])
    expect(parseMultipart(bytes, CT)?.file?.name).toBe('RPPH Ibu Ni’mah.pdf')
  })

  it('ignores parts that are not form-data, file parts of another name, and an empty file choice', () => {
    const result = parseMultipart(body(part('attachment; name="x"', '1'), part('form-data; name="other"; filename="a.pdf"', '2'), part('form-data; name="file"; filename=""', '')), CT)
    expect(result).toEqual({ fields: {} })
  })

  it('refuses a body that is not RFC 2046 multipart: no boundary, no close delimiter', () => {
    expect(parseMultipart(body(part('form-data; name="a"', '1')), 'multipart/form-data')).toBeUndefined()
    expect(parseMultipart(Buffer.from(part('form-data; name="a"', '1')), CT)).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { nameForType, sniff } from './sniff.ts'

const bytes = (...parts: Array<string | number[]>) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))))

describe('sniff (file type by content, never by name)', () => {
  it.each([
    ['PDF', bytes('%PDF-1.7\n...'), 'application/pdf'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'image/png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['WebP', bytes('RIFF', [1, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['DOCX', bytes([0x50, 0x4b, 0x03, 0x04], 'xxxx[Content_Types].xml....word/document.xml'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['ODT', bytes([0x50, 0x4b, 0x03, 0x04], 'x'.repeat(26), 'mimetypeapplication/vnd.oasis.opendocument.text'), 'application/vnd.oasis.opendocument.text'],
  ])('recognises %s', (_name, content, type) => {
    expect(sniff(content)).toBe(type)
  })

  it.each([
    ['an executable', bytes('MZ\x90\x00')],
    ['plain text', bytes('RPPH hari Senin')],
    ['a zip that is no document', bytes([0x50, 0x4b, 0x03, 0x04], 'photos/a.jpg')],
    ['a RIFF that is no WebP', bytes('RIFF', [1, 0, 0, 0], 'WAVEfmt ')],
    ['nothing', bytes()],
  ])('refuses %s', (_name, content) => {
    expect(sniff(content)).toBeUndefined()
  })

  it('defers a zip to the full check when it sees only the first chunk', () => {
    expect(sniff(bytes([0x50, 0x4b, 0x03, 0x04], 'word/'), { prefix: true })).toBe('zip')
  })
})

describe('nameForType (the stored name says what the content is; OWASP File Upload Cheat Sheet, extension validation)', () => {
  it.each([
    ['rpph.pdf', 'application/pdf', 'rpph.pdf'],
    ['Foto.JPEG', 'image/jpeg', 'Foto.JPEG'],
    ['rpph.pdf', 'image/png', 'rpph.png'],
    ['foto', 'image/jpeg', 'foto.jpg'],
    ['rpph.html', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'rpph.docx'],
    ['rpph.bat', 'application/vnd.oasis.opendocument.text', 'rpph.odt'],
    ['rpph.pdf.exe', 'application/pdf', 'rpph.pdf.pdf'],
    ['.htaccess', 'image/webp', '.htaccess.webp'],
  ] as const)('%s holding %s is stored as %s', (name, type, stored) => {
    expect(nameForType(name, type)).toBe(stored)
  })
})

import { describe, expect, it } from 'vitest'
import { checkEvidence, MAX_EVIDENCE_BYTES } from './evidence.ts'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const rule = (r: ReturnType<typeof checkEvidence>) => (r.ok ? r.value.mediaType : r.problems[0]!.rule)

describe('session evidence: a photo or PDF judged by content, at most 10 MB (the tasks limits)', () => {
  it('takes a PNG named .pdf as a PNG', () => {
    expect(rule(checkEvidence({ name: 'bukti.pdf', content: PNG }))).toBe('image/png')
  })
  it('takes a PDF', () => {
    expect(rule(checkEvidence({ name: 'x', content: Buffer.from('%PDF-1.7\n') }))).toBe('application/pdf')
  })
  it('refuses a document that is no photo or PDF (a ZIP named .jpg)', () => {
    expect(rule(checkEvidence({ name: 'foto.jpg', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }))).toBe('file-type')
  })
  it('refuses an empty file and one over 10 MB', () => {
    expect(rule(checkEvidence({ name: 'a.png', content: Buffer.alloc(0) }))).toBe('file-empty')
    const big = Buffer.alloc(MAX_EVIDENCE_BYTES + 1)
    PNG.copy(big)
    expect(rule(checkEvidence({ name: 'a.png', content: big }))).toBe('file-too-large')
  })
  it('names the stored file after its content: a PNG sent as bukti.pdf is kept as bukti.png', () => {
    const r = checkEvidence({ name: 'bukti.pdf', content: PNG })
    expect(r.ok && r.value.name).toBe('bukti.png')
  })
  it('keeps the base name only', () => {
    const r = checkEvidence({ name: 'C:\\foto\\"sesi".png', content: PNG })
    expect(r.ok && r.value.name).toBe('sesi.png')
  })
})

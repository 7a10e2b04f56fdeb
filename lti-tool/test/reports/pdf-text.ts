import { inflateSync } from 'node:zlib'

/** Pages of a PDF: the `/Count` of its page tree root (ISO 32000-1 §7.7.3.2). */
export function pdfPageCount(pdf: Buffer): number {
  const counts = [...pdf.toString('latin1').matchAll(/\/Type \/Pages\s*\/Count (\d+)/gu)].map((m) => Number(m[1]))
  return Math.max(0, ...counts)
}

/**
 * The text a pdfkit document shows, for assertions: each content stream (inflated when
 * compressed), its hex strings decoded (standard fonts: WinAnsi, ASCII as is) and joined per
 * `TJ` array, so kerning gaps do not split words.
 */
export function pdfStrings(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1')
  const out: string[] = []
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/gu)) {
    let content = m[1]!
    try { content = inflateSync(Buffer.from(content, 'latin1')).toString('latin1') } catch { /* not compressed */ }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/gu)) {
      out.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/gu)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''))
    }
  }
  return out
}

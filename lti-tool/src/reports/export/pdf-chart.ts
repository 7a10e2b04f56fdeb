import type { Chart, Shape } from '../charts/scene.ts'

/** The part of a pdfkit document the chart drawer uses (kept narrow so it reads as what it needs). */
export type Pdf = PDFKit.PDFDocument

/**
 * Text for the PDF's standard Helvetica (WinAnsi encoding, ISO 32000-1 Annex D): Latin-1 passes,
 * the few typographic marks the reports use are spelled out, anything else becomes "?" rather
 * than a wrong glyph.
 */
export function pdfText(text: string): string {
  return text
    .replace(/[–—]/gu, '-').replace(/…/gu, '...').replace(/→/gu, '->').replace(/[‘’]/gu, "'").replace(/[“”]/gu, '"')
    .replace(/[^\u0000-\u00ff]/gu, '?')
}

function drawShape(doc: Pdf, s: Shape, x0: number, y0: number, k: number): void {
  const X = (x: number) => x0 + x * k
  const Y = (y: number) => y0 + y * k
  switch (s.kind) {
    case 'rect':
      doc.rect(X(s.x), Y(s.y), s.w * k, s.h * k)
      if (s.stroke === undefined) doc.fill(s.fill)
      else doc.fillAndStroke(s.fill, s.stroke)
      return
    case 'circle':
      doc.circle(X(s.cx), Y(s.cy), s.r * k).fill(s.fill)
      return
    case 'line':
      doc.lineWidth((s.width ?? 1) * k).moveTo(X(s.x1), Y(s.y1)).lineTo(X(s.x2), Y(s.y2)).stroke(s.stroke)
      return
    case 'polygon': {
      if (s.points.length === 0) return
      doc.lineWidth((s.width ?? 1.5) * k)
      const [first, ...rest] = s.points
      doc.moveTo(X(first![0]), Y(first![1]))
      for (const [x, y] of rest) doc.lineTo(X(x), Y(y))
      if (s.closed) doc.closePath()
      if (s.fill === 'none') doc.stroke(s.stroke)
      else {
        doc.fillOpacity(s.opacity ?? 1).fillAndStroke(s.fill, s.stroke)
        doc.fillOpacity(1)
      }
      return
    }
    case 'text': {
      const size = s.size * k
      const text = pdfText(s.text)
      doc.font(s.bold === true ? 'Helvetica-Bold' : 'Helvetica').fontSize(size).fillColor(s.fill ?? '#1b1b1b')
      const w = doc.widthOfString(text)
      const x = s.anchor === 'middle' ? X(s.x) - w / 2 : s.anchor === 'end' ? X(s.x) - w : X(s.x)
      doc.text(text, x, Y(s.y), { lineBreak: false, baseline: 'alphabetic' })
      return
    }
  }
}

/**
 * Draws a chart's shapes as PDF vectors at (x, y), scaled to `width` (never above 1.25×), the
 * same picture as the page's SVG. @returns the height used
 */
export function drawChart(doc: Pdf, chart: Chart, x: number, y: number, width: number): number {
  const k = Math.min(1.25, width / chart.width)
  doc.save()
  for (const shape of chart.shapes) drawShape(doc, shape, x, y, k)
  doc.restore()
  doc.fillColor('#1b1b1b').fillOpacity(1)
  return chart.height * k
}

/** The height a chart takes at `width`. */
export const chartHeight = (chart: Chart, width: number): number => chart.height * Math.min(1.25, width / chart.width)

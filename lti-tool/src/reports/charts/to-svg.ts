import { escapeHtml as e } from '../../http/html.ts'
import type { Chart, Shape } from './scene.ts'

/**
 * A chart as inline SVG for a page: `viewBox` with its natural `width`, which the reports
 * stylesheet caps at 100% of the column (`max-width:100%; height:auto`), so it shrinks to a 360 px
 * phone and never blows up on a desktop,
 * labelled with `aria-label`, `<title>` and `<desc>` (WAI-ARIA Graphics, SVG 2 §5.9), no style
 * attribute and no script (the tool's Content-Security-Policy forbids both). Presentation
 * attributes (`fill`, `stroke`) are not styles, so they are allowed. Links are SVG 2 `<a href>`.
 * A chart without links is one `role="img"`; a chart with links is a `role="group"`, because an
 * image's children are presentational (WAI-ARIA 1.2 §5.2.8.5): its links would take keyboard
 * focus yet be hidden from a screen reader (axe-core `nested-interactive`, WCAG 2.1 SC 4.1.2).
 */
export function chartSvg(chart: Chart): string {
  const body = linkedRuns(chart.shapes)
  const cls = chart.wide === true ? 'chart wide' : 'chart'
  const role = chart.shapes.some((shape) => hrefOf(shape) !== undefined) ? 'group' : 'img'
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chart.width} ${chart.height}" width="${chart.width}" height="${chart.height}" role="${role}" aria-label="${e(chart.title)}" class="${cls}" font-family="system-ui,sans-serif">`
    + `<title>${e(chart.title)}</title><desc>${e(chart.description)}</desc>${body}</svg>`
}

/**
 * Consecutive shapes with the same link share one `<a>` (a heatmap cell's square and its number):
 * one link per target for a screen reader instead of two, and a lighter page (a kecamatan page of
 * 50 teachers carries ~1,600 cells).
 */
function linkedRuns(shapes: readonly Shape[]): string {
  let svg = ''
  for (let i = 0; i < shapes.length;) {
    const href = hrefOf(shapes[i]!)
    let end = i + 1
    if (href !== undefined) while (end < shapes.length && hrefOf(shapes[end]!) === href) end++
    svg += link(href, shapes.slice(i, end).map(shapeSvg).join(''))
    i = end
  }
  return svg
}

const hrefOf = (shape: Shape): string | undefined => ('href' in shape ? shape.href : undefined)

/** One shape, without its link (`linkedRuns` adds that). */
function shapeSvg(shape: Shape): string {
  switch (shape.kind) {
    case 'rect':
      return `<rect x="${shape.x}" y="${shape.y}" width="${shape.w}" height="${shape.h}" fill="${shape.fill}"${stroke(shape.stroke)}>${tip(shape.title)}</rect>`
    case 'circle':
      return `<circle cx="${shape.cx}" cy="${shape.cy}" r="${shape.r}" fill="${shape.fill}"${stroke(shape.stroke)}>${tip(shape.title)}</circle>`
    case 'line':
      return `<line x1="${shape.x1}" y1="${shape.y1}" x2="${shape.x2}" y2="${shape.y2}" stroke="${shape.stroke}" stroke-width="${shape.width ?? 1}"/>`
    case 'polygon': {
      const points = shape.points.map(([x, y]) => `${x},${y}`).join(' ')
      const tag = shape.closed ? 'polygon' : 'polyline'
      const opacity = shape.opacity === undefined ? '' : ` fill-opacity="${shape.opacity}"`
      return `<${tag} points="${points}" fill="${shape.fill}"${opacity} stroke="${shape.stroke}" stroke-width="${shape.width ?? 1.5}"/>`
    }
    case 'text': {
      const anchor = shape.anchor === undefined || shape.anchor === 'start' ? '' : ` text-anchor="${shape.anchor}"`
      const weight = shape.bold === true ? ' font-weight="bold"' : ''
      return `<text x="${shape.x}" y="${shape.y}" font-size="${shape.size}" fill="${shape.fill ?? '#1b1b1b'}"${anchor}${weight}>${e(shape.text)}</text>`
    }
  }
}

const link = (href: string | undefined, inner: string) => (href === undefined ? inner : `<a href="${e(href)}">${inner}</a>`)
const tip = (title: string | undefined) => (title === undefined ? '' : `<title>${e(title)}</title>`)
const stroke = (colour: string | undefined) => (colour === undefined ? '' : ` stroke="${colour}"`)

/**
 * A chart is drawn once, as a list of plain shapes in its own coordinate box, then written either
 * as inline SVG (the pages) or as PDF vectors (`export/pdf-report.ts`). So the page and the
 * printout show the same picture, and each chart function stays pure and testable.
 */
export type Anchor = 'start' | 'middle' | 'end'

export type Shape =
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly fill: string; readonly stroke?: string; readonly title?: string; readonly href?: string; readonly data?: string }
  | { readonly kind: 'circle'; readonly cx: number; readonly cy: number; readonly r: number; readonly fill: string; readonly stroke?: string; readonly title?: string; readonly href?: string; readonly data?: string }
  | { readonly kind: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly stroke: string; readonly width?: number }
  | { readonly kind: 'polygon'; readonly points: readonly (readonly [number, number])[]; readonly fill: string; readonly stroke: string; readonly opacity?: number; readonly closed: boolean; readonly width?: number }
  | { readonly kind: 'text'; readonly x: number; readonly y: number; readonly text: string; readonly size: number; readonly anchor?: Anchor; readonly fill?: string; readonly bold?: boolean; readonly href?: string; readonly data?: string }

/** `data` on a shape names what it stands for (a cell's row|column, a node's key) for tests; it is not written out. */

/** A chart: its box (the SVG `viewBox`), an accessible title and description, and its shapes. */
export interface Chart {
  readonly width: number
  readonly height: number
  /** Short name read by screen readers (`<title>`, `aria-label`). */
  readonly title: string
  /** What the picture shows, in words (`<desc>`). */
  readonly description: string
  readonly shapes: readonly Shape[]
  /** Wider than a phone: the page lets it scroll sideways instead of shrinking the numbers. */
  readonly wide?: boolean
}

/** Average glyph width of a sans-serif font, as a share of its size: enough to keep labels apart. */
const GLYPH = 0.58

/** `text` cut to fit `width` at font `size`, with an ellipsis when cut (the full text goes in a `<title>`). */
export function fitText(text: string, width: number, size: number): string {
  const max = Math.max(1, Math.floor(width / (size * GLYPH)))
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}

/** A share 0..1 as a whole percentage, the way every chart prints it. */
export function percentText(share: number): string {
  return `${Math.round(share * 100)}`
}

/** Numbers with one decimal at most, so the SVG stays short and stable for tests. */
export function round(n: number): number {
  return Math.round(n * 10) / 10
}

/**
 * Sequential colour for a rating 0..1 (five steps of ColorBrewer "Blues", readable by people with
 * colour-blindness since only lightness changes) and the text colour that keeps contrast on it:
 * at least 4.5:1 for the cells' 11 px numbers (WCAG 2.1 SC 1.4.3), so the fourth step is the
 * 7-class scale's #2171b5 (white on it 5.1:1), not the 5-class #3182bd (4.2:1).
 * null (no evidence) is light grey. Colour is never the only cue: every cell also prints its number.
 */
export function ratingColour(rating: number | null): { fill: string; text: string } {
  if (rating === null) return { fill: '#eeeeee', text: '#333333' }
  const steps = ['#eff3ff', '#bdd7e7', '#6baed6', '#2171b5', '#08519c'] as const
  const i = Math.min(steps.length - 1, Math.max(0, Math.floor(rating * steps.length)))
  return { fill: steps[i]!, text: i >= 3 ? '#ffffff' : '#1b1b1b' }
}

/** The chart shown when there is nothing to draw, so an empty report still says so in the picture. */
export function emptyChart(title: string, width = 320, height = 60): Chart {
  return {
    width, height, title, description: 'Belum ada data. / No data yet.',
    shapes: [{ kind: 'text', x: width / 2, y: height / 2 + 5, text: 'Belum ada data / No data yet', size: 14, anchor: 'middle', fill: '#555555' }],
  }
}

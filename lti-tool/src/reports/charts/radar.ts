import { emptyChart, fitText, percentText, round, type Chart, type Shape } from './scene.ts'

export interface RadarAxis {
  readonly label: string
  /** 0..1; null = no evidence (drawn at the centre). */
  readonly value: number | null
  readonly href?: string
  readonly key?: string
}

const W = 400
const H = 340
const CX = 200
const CY = 165
const R = 95
const LABEL = 13
const RINGS = [0.25, 0.5, 0.75, 1] as const

/** Where axis `i` of `n` points at distance `share` of the radius: the first straight up, clockwise. */
export function radarPoint(i: number, n: number, share: number): [number, number] {
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n
  return [round(CX + Math.cos(angle) * R * share), round(CY + Math.sin(angle) * R * share)]
}

/**
 * Radar of a teacher's competence profile: one axis per competence, rings at 25/50/75/100 %, the
 * ratings joined as a polygon, and at each axis end its label and the rating as a number (linked to
 * the evidence behind it). With fewer than three axes the polygon degenerates to a line or a point,
 * which is still true to the data.
 */
export function radarChart(title: string, axes: readonly RadarAxis[]): Chart {
  if (axes.length === 0) return emptyChart(title)
  const n = axes.length
  const shapes: Shape[] = []
  for (const ring of RINGS) {
    shapes.push({ kind: 'polygon', points: axes.map((_, i) => radarPoint(i, n, ring)), fill: 'none', stroke: '#cccccc', closed: true, width: 1 })
  }
  axes.forEach((_, i) => {
    const [x, y] = radarPoint(i, n, 1)
    shapes.push({ kind: 'line', x1: CX, y1: CY, x2: x, y2: y, stroke: '#cccccc' })
  })
  shapes.push({ kind: 'polygon', points: axes.map((a, i) => radarPoint(i, n, a.value ?? 0)), fill: '#3182bd', opacity: 0.3, stroke: '#08519c', closed: true, width: 2 })
  axes.forEach((a, i) => {
    const [px, py] = radarPoint(i, n, a.value ?? 0)
    const number = a.value === null ? '–' : `${percentText(a.value)}%`
    shapes.push({ kind: 'circle', cx: px, cy: py, r: 4, fill: '#08519c', title: `${a.label}: ${number}`, ...(a.href !== undefined && { href: a.href }), ...(a.key !== undefined && { data: a.key }) })
    const [lx, ly] = radarPoint(i, n, 1.12)
    const anchor = Math.abs(lx - CX) < 8 ? 'middle' : lx < CX ? 'end' : 'start'
    const room = anchor === 'middle' ? W - 20 : anchor === 'end' ? lx - 2 : W - lx - 2
    // Above the top axis the number sits under its label; below the bottom one, label first; at the sides, label over number.
    const [labelY, numberY] = anchor !== 'middle' ? [ly - 2, ly + 14] : ly < CY ? [ly - 16, ly] : [ly + 10, ly + 25]
    shapes.push({ kind: 'text', x: lx, y: round(labelY), text: fitText(a.label, room, LABEL), size: LABEL, anchor })
    shapes.push({ kind: 'text', x: lx, y: round(numberY), text: number, size: LABEL, anchor, bold: true, ...(a.href !== undefined && { href: a.href }) })
  })
  return {
    width: W, height: H, title, shapes,
    description: axes.map((a) => `${a.label}: ${a.value === null ? '–' : `${percentText(a.value)}%`}`).join('; '),
  }
}

import { emptyChart, fitText, round, type Chart, type Shape } from './scene.ts'

export interface LinePoint {
  /** The x label, e.g. `2026-03`. */
  readonly label: string
  readonly value: number
}

const W = 360
const H = 200
const LEFT = 36
const RIGHT = 12
const TOP = 16
const BOTTOM = 40

/** A "nice" upper bound for the axis: 1, 2 or 5 × 10ⁿ at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

/**
 * Month-by-month trend: one series as a line with a dot and its value at each month, a y axis
 * from 0 to a round maximum, and the month under each point (every other one when crowded).
 * A single month is one dot.
 */
export function lineChart(title: string, points: readonly LinePoint[], unit: string): Chart {
  if (points.length === 0) return emptyChart(title)
  const top = niceMax(Math.max(...points.map((p) => p.value)))
  const plotW = W - LEFT - RIGHT
  const plotH = H - TOP - BOTTOM
  const x = (i: number) => round(LEFT + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1)))
  const y = (v: number) => round(TOP + plotH - (plotH * v) / top)
  const shapes: Shape[] = []
  for (const tick of [0, top / 2, top]) {
    shapes.push({ kind: 'line', x1: LEFT, y1: y(tick), x2: W - RIGHT, y2: y(tick), stroke: '#e5e5e5' })
    shapes.push({ kind: 'text', x: LEFT - 4, y: y(tick) + 4, text: String(round(tick)), size: 10, anchor: 'end', fill: '#555555' })
  }
  shapes.push({ kind: 'polygon', points: points.map((p, i) => [x(i), y(p.value)] as const), fill: 'none', stroke: '#08519c', closed: false, width: 2 })
  const every = points.length > 8 ? 2 : 1
  points.forEach((p, i) => {
    shapes.push({ kind: 'circle', cx: x(i), cy: y(p.value), r: 3.5, fill: '#08519c', title: `${p.label}: ${p.value} ${unit}`, data: p.label })
    shapes.push({ kind: 'text', x: x(i), y: y(p.value) - 7, text: String(p.value), size: 10, anchor: 'middle' })
    if (i % every === 0) shapes.push({ kind: 'text', x: x(i), y: H - BOTTOM + 16, text: fitText(p.label, (plotW / points.length) * every, 10), size: 10, anchor: 'middle', fill: '#333333' })
  })
  return {
    width: W, height: H, title, shapes,
    description: points.map((p) => `${p.label}: ${p.value} ${unit}`).join('; '),
  }
}

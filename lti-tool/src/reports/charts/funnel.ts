import { emptyChart, fitText, percentText, round, type Chart, type Shape } from './scene.ts'

export interface FunnelStage {
  readonly label: string
  readonly value: number
  readonly href?: string
  readonly key?: string
}

const W = 360
const STAGE_H = 44
const BAR_H = 18
const NUMBER_W = 92

/**
 * Tier funnel (enrolled → phases → completed) as horizontal bars, one per stage in order, each
 * with its label above, its length proportional to the largest stage, and at its end the count and
 * its share of the first stage. A zero-stage still gets its row and the number 0.
 */
export function funnelBars(title: string, stages: readonly FunnelStage[]): Chart {
  if (stages.length === 0) return emptyChart(title)
  const max = Math.max(1, ...stages.map((s) => s.value))
  const first = stages[0]!.value
  const track = W - NUMBER_W - 8
  const shapes: Shape[] = []
  stages.forEach((stage, i) => {
    const y = i * STAGE_H
    const w = round((track * stage.value) / max)
    const share = first > 0 ? ` (${percentText(stage.value / first)}%)` : ''
    shapes.push({ kind: 'text', x: 4, y: y + 14, text: fitText(stage.label, W - 8, 12), size: 12 })
    shapes.push({ kind: 'rect', x: 4, y: y + 20, w: track, h: BAR_H, fill: '#f2f2f2' })
    if (w > 0) shapes.push({ kind: 'rect', x: 4, y: y + 20, w, h: BAR_H, fill: '#3182bd', title: `${stage.label}: ${stage.value}${share}`, ...(stage.href !== undefined && { href: stage.href }), ...(stage.key !== undefined && { data: stage.key }) })
    shapes.push({ kind: 'text', x: track + 10, y: y + 34, text: `${stage.value}${share}`, size: 12, bold: true, ...(stage.href !== undefined && { href: stage.href }) })
  })
  return {
    width: W, height: STAGE_H * stages.length, title, shapes,
    description: stages.map((s) => `${s.label}: ${s.value}`).join('; '),
  }
}

import { emptyChart, fitText, round, type Chart, type Shape } from './scene.ts'

export interface NetworkInput {
  readonly nodes: readonly { readonly key: string; readonly name: string; readonly participant: boolean; readonly href?: string }[]
  readonly edges: readonly { readonly mentor: string; readonly mentee: string; readonly sessions: number }[]
}

const W = 360
const C = 180
const MAX_R = 150
const LEGEND_H = 28

/**
 * Depth of each node in the mentoring network: 0 for mentors nobody mentored, then the shortest
 * chain from such a mentor (breadth first). Nodes only reachable around a cycle get depth 0 too,
 * so every node has one. Deterministic: roots and neighbours are visited in key order.
 */
export function mentoringDepths(input: NetworkInput): Map<string, number> {
  const keys = [...new Set([...input.nodes.map((n) => n.key), ...input.edges.flatMap((e) => [e.mentor, e.mentee])])].sort()
  const out = new Map<string, string[]>()
  const mentored = new Set(input.edges.map((e) => e.mentee))
  for (const e of input.edges) out.set(e.mentor, [...(out.get(e.mentor) ?? []), e.mentee].sort())
  const depth = new Map<string, number>()
  const queue = keys.filter((k) => !mentored.has(k))
  for (const k of queue) depth.set(k, 0)
  for (let i = 0; i < queue.length; i++) {
    const k = queue[i]!
    for (const next of out.get(k) ?? []) {
      if (depth.has(next)) continue
      depth.set(next, depth.get(k)! + 1)
      queue.push(next)
    }
  }
  for (const k of keys) if (!depth.has(k)) depth.set(k, 0)
  return depth
}

const nodeRadius = (count: number) => (count <= 40 ? 5 : 3.5)

/**
 * Mentoring network (who mentored whom): nodes on concentric rings by depth (first mentors inside,
 * their mentees on the next ring, and so on), each ring ordered by the position of the mentor
 * before it, then by key, so the same data always gives the same picture. Lines are mentoring
 * relations, thicker with more sessions; blue nodes are program participants, orange ones
 * colleagues reached at their schools. Names are printed when there are few nodes, and are always
 * in each node's tooltip.
 */
export function networkGraph(title: string, input: NetworkInput): Chart {
  if (input.nodes.length === 0 && input.edges.length === 0) return emptyChart(title)
  const depth = mentoringDepths(input)
  const byKey = new Map(input.nodes.map((n) => [n.key, n]))
  const maxDepth = Math.max(0, ...depth.values())
  const layers: string[][] = Array.from({ length: maxDepth + 1 }, () => [])
  for (const [key, d] of depth) layers[d]!.push(key)
  const position = new Map<string, [number, number]>()
  const order = new Map<string, number>()
  const mentorsOf = new Map<string, string[]>()
  for (const e of input.edges) mentorsOf.set(e.mentee, [...(mentorsOf.get(e.mentee) ?? []), e.mentor])
  layers.forEach((layer, d) => {
    const rank = (k: string) => Math.min(Number.MAX_SAFE_INTEGER, ...(mentorsOf.get(k) ?? []).map((m) => order.get(m) ?? Number.MAX_SAFE_INTEGER))
    layer.sort((a, b) => (d === 0 ? 0 : rank(a) - rank(b)) || (a < b ? -1 : a > b ? 1 : 0))
    // A ring's radius grows with its depth, and with its crowd so that its nodes do not overlap.
    const base = maxDepth === 0 ? MAX_R * 0.7 : 30 + ((MAX_R - 30) * d) / maxDepth
    const needed = (layer.length * (2 * nodeRadius(depth.size) + 1.5)) / (2 * Math.PI)
    const radius = d === 0 && layer.length === 1 ? 0 : round(Math.min(MAX_R, Math.max(base, needed)))
    layer.forEach((key, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / layer.length
      position.set(key, [round(C + Math.cos(angle) * radius), round(C + Math.sin(angle) * radius)])
      order.set(key, i)
    })
  })
  const shapes: Shape[] = []
  for (const e of input.edges) {
    const [x1, y1] = position.get(e.mentor)!
    const [x2, y2] = position.get(e.mentee)!
    shapes.push({ kind: 'line', x1, y1, x2, y2, stroke: '#9ca3af', width: round(1 + Math.min(3, Math.max(0, e.sessions - 1)) * 0.5) })
  }
  const total = depth.size
  const r = nodeRadius(total)
  for (const [key, [cx, cy]] of position) {
    const node = byKey.get(key)
    const name = node?.name ?? key
    const participant = node?.participant ?? false
    shapes.push({ kind: 'circle', cx, cy, r, fill: participant ? '#08519c' : '#d95f02', title: `${name} (kedalaman / depth ${depth.get(key)})`, data: key, ...(node?.href !== undefined && { href: node.href }) })
    if (total <= 16) shapes.push({ kind: 'text', x: round(cx + r + 2), y: round(cy + 4), text: fitText(name, W - cx - r - 4, 10), size: 10 })
  }
  const legendY = W + 18
  shapes.push({ kind: 'circle', cx: 10, cy: legendY - 4, r: 5, fill: '#08519c' })
  shapes.push({ kind: 'text', x: 20, y: legendY, text: 'Peserta / Participant', size: 11 })
  shapes.push({ kind: 'circle', cx: 190, cy: legendY - 4, r: 5, fill: '#d95f02' })
  shapes.push({ kind: 'text', x: 200, y: legendY, text: 'Rekan / Colleague', size: 11 })
  return {
    width: W, height: W + LEGEND_H, title, shapes,
    description: `${total} orang, ${input.edges.length} hubungan pendampingan, kedalaman rantai ${maxDepth}. / ${total} people, ${input.edges.length} mentoring relations, chain depth ${maxDepth}.`,
  }
}

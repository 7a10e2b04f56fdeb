/**
 * Compares two V8 heap snapshots (test/bench/memory.ts writes them) by constructor: count, self
 * size and retained size (dominator tree, Cooper–Harvey–Kennedy; weak edges ignored; a class's
 * retained size counts only objects not dominated by another object of the same class, as DevTools
 * does). Prints the classes that grew most.
 *
 *   node --max-old-space-size=6000 --import tsx test/bench/memory-heap-diff.ts A.heapsnapshot B.heapsnapshot [top]
 */
import { readFileSync } from 'node:fs'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number }
  nodes: number[]
  edges: number[]
  strings: string[]
}

interface ClassFigures { count: number; self: number; retained: number }

function analyse(file: string): Map<string, ClassFigures> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot
  const { meta } = snap.snapshot
  const nf = meta.node_fields.length
  const ef = meta.edge_fields.length
  const nType = meta.node_fields.indexOf('type')
  const nName = meta.node_fields.indexOf('name')
  const nSelf = meta.node_fields.indexOf('self_size')
  const nEdges = meta.node_fields.indexOf('edge_count')
  const eType = meta.edge_fields.indexOf('type')
  const eTo = meta.edge_fields.indexOf('to_node')
  const nodeTypes = meta.node_types[0]
  const edgeTypes = meta.edge_types[0]
  const weak = edgeTypes.indexOf('weak')
  const shortcut = edgeTypes.indexOf('shortcut')
  const n = snap.nodes.length / nf
  const firstEdge = new Uint32Array(n + 1)
  for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i]! + snap.nodes[i * nf + nEdges]! * ef
  const className = (i: number): string => {
    const type = nodeTypes[snap.nodes[i * nf + nType]!]!
    const name = snap.strings[snap.nodes[i * nf + nName]!]!
    if (type === 'object' || type === 'native') return name
    if (type === 'closure') return '(closure)'
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return '(string)'
    return `(${type})`
  }
  const followed = (e: number) => {
    const t = snap.edges[e + eType]!
    return t !== weak && t !== shortcut
  }
  // Post-order from the root (node 0).
  const order = new Int32Array(n).fill(-1)
  const post: number[] = []
  const stack: number[] = [0]
  const edgeAt = new Uint32Array(n)
  order[0] = -2
  for (let i = 0; i < n; i++) edgeAt[i] = firstEdge[i]!
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!
    if (edgeAt[v]! < firstEdge[v + 1]!) {
      const e = edgeAt[v]!
      edgeAt[v] = e + ef
      if (!followed(e)) continue
      const w = snap.edges[e + eTo]! / nf
      if (order[w] === -1) {
        order[w] = -2
        stack.push(w)
      }
    } else {
      stack.pop()
      order[v] = post.length
      post.push(v)
    }
  }
  // Predecessors of reachable nodes.
  const predCount = new Uint32Array(n + 1)
  for (let v = 0; v < n; v++) {
    if (order[v]! < 0) continue
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += ef) if (followed(e)) predCount[snap.edges[e + eTo]! / nf + 1]!++
  }
  for (let i = 0; i < n; i++) predCount[i + 1]! += predCount[i]!
  const preds = new Uint32Array(predCount[n]!)
  const fill = predCount.slice(0, n)
  for (let v = 0; v < n; v++) {
    if (order[v]! < 0) continue
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += ef) if (followed(e)) { const w = snap.edges[e + eTo]! / nf; preds[fill[w]!++] = v }
  }
  const idom = new Int32Array(n).fill(-1)
  idom[0] = 0
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = idom[a]!
      while (order[b]! < order[a]!) b = idom[b]!
    }
    return a
  }
  for (let changed = true; changed;) {
    changed = false
    for (let k = post.length - 2; k >= 0; k--) {
      const v = post[k]!
      let d = -1
      for (let p = predCount[v]!; p < predCount[v + 1]!; p++) {
        const u = preds[p]!
        if (idom[u] === -1) continue
        d = d === -1 ? u : intersect(u, d)
      }
      if (d !== -1 && idom[v] !== d) { idom[v] = d; changed = true }
    }
  }
  const retained = new Float64Array(n)
  for (const v of post) retained[v]! += snap.nodes[v * nf + nSelf]!
  for (const v of post) if (v !== 0) retained[idom[v]!]! += retained[v]!
  // A class's retained size: its objects that no object of the same class dominates.
  const classes = new Map<string, ClassFigures>()
  const names = new Array<string>(n)
  for (let k = post.length - 1; k >= 0; k--) {
    const v = post[k]!
    const name = className(v)
    names[v] = name
    const f = classes.get(name) ?? { count: 0, self: 0, retained: 0 }
    f.count++
    f.self += snap.nodes[v * nf + nSelf]!
    let u = idom[v]!
    let dominatedBySame = false
    while (u !== 0) {
      if (names[u] === name) { dominatedBySame = true; break }
      u = idom[u]!
    }
    if (!dominatedBySame) f.retained += retained[v]!
    classes.set(name, f)
  }
  return classes
}

const [a, b, top] = process.argv.slice(2)
if (a === undefined || b === undefined) throw new TypeError('usage: memory-heap-diff.ts A.heapsnapshot B.heapsnapshot [top]')
const before = analyse(a)
const after = analyse(b)
const MB = 1024 * 1024
const rows = [...new Set([...before.keys(), ...after.keys()])].map((name) => {
  const x = before.get(name) ?? { count: 0, self: 0, retained: 0 }
  const y = after.get(name) ?? { count: 0, self: 0, retained: 0 }
  return { name, count: `${x.count} → ${y.count}`, selfMb: `${(x.self / MB).toFixed(2)} → ${(y.self / MB).toFixed(2)}`, retainedMb: `${(x.retained / MB).toFixed(2)} → ${(y.retained / MB).toFixed(2)}`, dSelf: y.self - x.self, dRetained: y.retained - x.retained }
})
const total = (m: Map<string, ClassFigures>) => [...m.values()].reduce((s, f) => s + f.self, 0) / MB
console.log(`total self size: ${total(before).toFixed(1)} → ${total(after).toFixed(1)} MB`)
console.log('\nby growth of self size:')
console.table(rows.sort((x, y) => y.dSelf - x.dSelf).slice(0, Number(top ?? 25)).map(({ dSelf: _s, dRetained: _r, ...r }) => r))
console.log('\nby growth of retained size:')
console.table(rows.sort((x, y) => y.dRetained - x.dRetained).slice(0, Number(top ?? 25)).map(({ dSelf: _s, dRetained: _r, ...r }) => r))

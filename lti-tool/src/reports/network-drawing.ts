/**
 * What the mentoring network page draws (issue 6, "mentoring network graph"; docs/performance-notes.md,
 * "Mentoring network page at 10,000 teachers"): a district's whole network was 27,000 circles and
 * 6.8 MB of HTML, more than a phone renders. The page draws a bounded part and says which; the
 * filters (kecamatan, school) narrow the network to another part, and the CSV and JSON exports
 * keep every relation.
 */
import type { MentoringNetwork } from '@tln/competence'

/** People drawn at most: a few hundred circles keep the page near 100 KB and legible on a phone. */
export const DRAWN_PEOPLE = 300

export interface DrawnNetwork {
  readonly nodes: MentoringNetwork['nodes']
  readonly edges: MentoringNetwork['edges']
  /** Groups of people linked by mentoring (connected through any relation, whatever its direction). */
  readonly groups: number
  /** Groups drawn whole. */
  readonly groupsDrawn: number
  /** Everything is drawn. */
  readonly complete: boolean
}

type Node = MentoringNetwork['nodes'][number]
type Edge = MentoringNetwork['edges'][number]

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Groups of keys linked by any edge (union-find), each sorted, the largest first, then by first key. */
function groupsOf(network: MentoringNetwork): string[][] {
  const parent = new Map<string, string>()
  const find = (k: string): string => {
    let root = k
    while (parent.get(root) !== root) root = parent.get(root)!
    for (let x = k; x !== root;) {
      const next = parent.get(x)!
      parent.set(x, root)
      x = next
    }
    return root
  }
  const add = (k: string) => {
    if (!parent.has(k)) parent.set(k, k)
  }
  for (const n of network.nodes) add(n.key)
  for (const e of network.edges) {
    add(e.mentor)
    add(e.mentee)
    const [a, b] = [find(e.mentor), find(e.mentee)]
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b)
  }
  const groups = new Map<string, string[]>()
  for (const k of parent.keys()) {
    const root = find(k)
    const group = groups.get(root)
    if (group === undefined) groups.set(root, [k])
    else group.push(k)
  }
  return [...groups.values()].map((g) => g.sort(byKey)).sort((a, b) => b.length - a.length || byKey(a[0]!, b[0]!))
}

/**
 * The part of `network` to draw, at most `maxPeople` people: whole groups, the largest first (a
 * chain is never cut), skipping a group that no longer fits for smaller ones that do. When even
 * the largest group is over the bound, its mentors with the most mentees, each with their mentees,
 * while they fit. The same network always gives the same part.
 */
export function drawnNetwork(network: MentoringNetwork, maxPeople = DRAWN_PEOPLE): DrawnNetwork {
  if (!Number.isInteger(maxPeople) || maxPeople < 2) throw new TypeError('maxPeople must be an integer of at least 2')
  const groups = groupsOf(network)
  const people = groups.reduce((n, g) => n + g.length, 0)
  if (people <= maxPeople) return { nodes: network.nodes, edges: network.edges, groups: groups.length, groupsDrawn: groups.length, complete: true }
  const drawn = new Set<string>()
  let groupsDrawn = 0
  for (const group of groups) {
    if (drawn.size + group.length > maxPeople) continue
    for (const k of group) drawn.add(k)
    groupsDrawn++
  }
  if (groupsDrawn === 0) {
    const inLargest = new Set(groups[0])
    const mentees = new Map<string, string[]>()
    for (const e of network.edges) {
      if (!inLargest.has(e.mentor)) continue
      const theirs = mentees.get(e.mentor)
      if (theirs === undefined) mentees.set(e.mentor, [e.mentee])
      else theirs.push(e.mentee)
    }
    const mentors = [...mentees.entries()].sort((a, b) => b[1].length - a[1].length || byKey(a[0], b[0]))
    for (const [mentor, theirs] of mentors) {
      const fresh = [mentor, ...theirs].filter((k, i, all) => !drawn.has(k) && all.indexOf(k) === i)
      if (drawn.size + fresh.length > maxPeople) continue
      for (const k of fresh) drawn.add(k)
    }
  }
  const nodes: Node[] = network.nodes.filter((n) => drawn.has(n.key))
  const edges: Edge[] = network.edges.filter((e) => drawn.has(e.mentor) && drawn.has(e.mentee))
  return { nodes, edges, groups: groups.length, groupsDrawn, complete: false }
}

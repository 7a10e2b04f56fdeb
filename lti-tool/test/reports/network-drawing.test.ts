/**
 * The mentoring network page at district scale (issue 6, "mentoring network graph"; at 10,000
 * teachers the page drew 27,000 people in 6.8 MB): a bounded part is drawn, the page says which,
 * and every relation stays in the CSV.
 */
import type { MentoringNetwork, MentoringNetworkReport } from '@tln/competence'
import { describe, expect, it } from 'vitest'
import { tableCsv } from '../../src/reports/export/csv-export.ts'
import { DRAWN_PEOPLE, drawnNetwork } from '../../src/reports/network-drawing.ts'
import { mentoringNetworkPage } from '../../src/reports/pages/mentoring-network-page.ts'
import { mentoringNetworkTables } from '../../src/reports/tables/mentoring-tables.ts'
import { mentoringNetworkFixture } from './fixtures.ts'

const key = (name: string) => `mbox:mailto:${name}@example.org`

/** `stars` mentors, mentor i with `size(i)` mentees of their own; an optional chain a → b → c. */
function network(stars: number, size: (i: number) => number, chain = false): MentoringNetwork {
  const nodes: { key: string; name: string; kecamatanId: string | null; participant: boolean }[] = []
  const edges: { mentor: string; mentee: string; sessions: number }[] = []
  for (let i = 0; i < stars; i++) {
    const mentor = key(`m${i}`)
    nodes.push({ key: mentor, name: `Pendamping ${i}`, kecamatanId: null, participant: true })
    for (let j = 0; j < size(i); j++) {
      nodes.push({ key: key(`m${i}-r${j}`), name: `Rekan ${i}.${j}`, kecamatanId: null, participant: false })
      edges.push({ mentor, mentee: key(`m${i}-r${j}`), sessions: 1 + (j % 3) })
    }
  }
  if (chain) {
    for (const k of ['a', 'b', 'c']) nodes.push({ key: key(k), name: k, kecamatanId: null, participant: true })
    edges.push({ mentor: key('a'), mentee: key('b'), sessions: 1 }, { mentor: key('b'), mentee: key('c'), sessions: 1 })
  }
  return { nodes, edges, reach: edges.length, maxDepth: chain ? 2 : 1 }
}

const report = (n: MentoringNetwork): MentoringNetworkReport => ({ ...mentoringNetworkFixture(), network: n })

describe('drawnNetwork (what the mentoring network page draws)', () => {
  it('draws a network within the bound whole, and says it is complete', () => {
    const n = network(3, () => 2, true)
    expect(drawnNetwork(n, 20)).toEqual({ nodes: n.nodes, edges: n.edges, groups: 4, groupsDrawn: 4, complete: true })
  })

  it('draws whole groups, the largest first, never more people than the bound, and never cuts a chain', () => {
    // Mentor i has 10 - i mentees: groups of 11, 10, 9, …; the chain a → b → c is a group of 3.
    const n = network(10, (i) => 10 - i, true)
    const d = drawnNetwork(n, 24)
    expect(d.complete).toBe(false)
    expect(d.nodes.length).toBeLessThanOrEqual(24)
    // 11 + 10 fit; 9, 8, … do not; the chain of 3 does.
    expect(d.nodes.map((x) => x.key)).toEqual(expect.arrayContaining([key('m0'), key('m1'), key('a'), key('b'), key('c')]))
    expect(d.nodes.some((x) => x.key === key('m2'))).toBe(false)
    expect(d.groupsDrawn).toBe(3)
    expect(d.groups).toBe(11)
    expect(d.edges.every((e) => d.nodes.some((x) => x.key === e.mentor) && d.nodes.some((x) => x.key === e.mentee))).toBe(true)
  })

  it('draws the mentors with the most mentees, with their mentees, when one group alone is over the bound', () => {
    // One group: hub mentors m0 and m1, m1 also mentored by m0 (so one connected group of 1 + 30 + 1 + 5 people).
    const n = network(2, (i) => (i === 0 ? 30 : 5))
    const linked: MentoringNetwork = { ...n, edges: [...n.edges, { mentor: key('m0'), mentee: key('m1'), sessions: 1 }] }
    const d = drawnNetwork(linked, 33)
    expect(d.groups).toBe(1)
    expect(d.groupsDrawn).toBe(0)
    expect(d.nodes.length).toBe(32)
    expect(d.nodes.some((x) => x.key === key('m0-r29'))).toBe(true)
    expect(d.nodes.some((x) => x.key === key('m1-r0'))).toBe(false)
  })
})

describe('mentoring network page at district scale', () => {
  it('stays under 300 KB with 20,000 relations (30,000 people), draws at most DRAWN_PEOPLE, and says what it left out', () => {
    const n = network(10_000, () => 2)
    const html = mentoringNetworkPage({ report: report(n), filter: {}, query: '?from=2026-01-01', choices: { kecamatan: [] }, nav: [] })
    expect(Buffer.byteLength(html)).toBeLessThan(300_000)
    expect((html.match(/<circle/gu) ?? []).length).toBeLessThanOrEqual(DRAWN_PEOPLE + 2)
    expect(html).toContain('id="tln-network-drawn"')
    expect(html).toContain('The picture shows 300 of 30.000 people and 200 of 20.000 relations')
    expect(html).toContain('href="/reports/mentoring-network?from=2026-01-01&#38;format=csv&#38;table=mentoring"')
    expect(html).toContain('href="/api/reports/mentoring-network?from=2026-01-01"')
    // The CSV keeps every relation.
    expect(tableCsv(mentoringNetworkTables(report(n))[0]!).trim().split('\r\n')).toHaveLength(20_001)
  })

  it('says nothing is left out when the whole network is drawn', () => {
    const html = mentoringNetworkPage({ report: mentoringNetworkFixture(), filter: {}, query: '', choices: {}, nav: [] })
    expect(html).not.toContain('tln-network-drawn')
  })
})

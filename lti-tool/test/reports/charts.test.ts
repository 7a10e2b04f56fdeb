import { describe, expect, it } from 'vitest'
import { chartSvg } from '../../src/reports/charts/to-svg.ts'
import { heatmap } from '../../src/reports/charts/heatmap.ts'
import { radarChart, radarPoint } from '../../src/reports/charts/radar.ts'
import { funnelBars } from '../../src/reports/charts/funnel.ts'
import { lineChart, niceMax } from '../../src/reports/charts/line-chart.ts'
import { mentoringDepths, networkGraph } from '../../src/reports/charts/network.ts'
import { fitText, ratingColour } from '../../src/reports/charts/scene.ts'
import { wellFormedProblems } from './well-formed.ts'

const EVIL = '<script>alert("x")</script> & co'

/** Every chart's SVG: well-formed, scalable, labelled for assistive technology, no style attribute or script (CSP). */
function expectAccessibleSvg(svg: string, title: string): void {
  expect(wellFormedProblems(svg)).toEqual([])
  // Scales with the page: viewBox plus its natural size, capped by the stylesheet's max-width:100%.
  const box = /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 ([\d.]+) ([\d.]+)" width="([\d.]+)" height="([\d.]+)" role="(?:img|group)" aria-label="/u.exec(svg)
  expect(box).not.toBeNull()
  expect([box![3], box![4]]).toEqual([box![1], box![2]])
  expect(svg).toContain(`<title>${title}</title>`)
  expect(svg).toContain('<desc>')
  expect(svg).not.toMatch(/style=|<script|<style|on[a-z]+=/iu)
}

describe('heatmap', () => {
  const input = {
    title: 'Kecamatan × kompetensi',
    columns: [{ label: 'PED' }, { label: 'KEP' }],
    rows: [
      { label: 'Praya', href: '/reports/kecamatan/k1', cells: [{ value: 0.8, href: '/reports/kecamatan/k1#PED', key: 'k1|PED' }, { value: null, key: 'k1|KEP' }] },
      { label: 'Jonggat', cells: [{ value: 0.25, key: 'k2|PED' }, { value: 1, key: 'k2|KEP' }] },
    ],
  }

  it('is well-formed SVG with role="img", aria-label, <title> and <desc> (WAI-ARIA graphics; SVG 2 §5.9)', () => {
    expectAccessibleSvg(chartSvg(heatmap(input)), 'Kecamatan × kompetensi')
  })

  it('is a labelled group, not an image, when it holds links: an image\'s children are hidden from assistive technology (WAI-ARIA 1.2 §5.2.8.5)', () => {
    expect(chartSvg(heatmap(input))).toMatch(/^<svg [^>]* role="group" aria-label="Kecamatan × kompetensi"/u)
    const unlinked = { ...input, rows: input.rows.map((r) => ({ label: r.label, cells: r.cells.map((c) => ({ value: c.value, key: c.key })) })) }
    expect(chartSvg(heatmap(unlinked))).toMatch(/^<svg [^>]* role="img" aria-label="Kecamatan × kompetensi"/u)
  })

  it('prints the number in every cell, not colour alone (WCAG 2.2 SC 1.4.1 use of colour)', () => {
    const svg = chartSvg(heatmap(input))
    expect(svg.match(/<rect /gu)).toHaveLength(4)
    for (const n of ['>80<', '>25<', '>100<', '>–<']) expect(svg).toContain(n)
  })

  it('places each value in its row and column', () => {
    const chart = heatmap(input)
    const rect = (key: string) => chart.shapes.find((s) => s.kind === 'rect' && s.data === key) as { x: number; y: number }
    expect(rect('k1|PED').x).toBeLessThan(rect('k1|KEP').x)
    expect(rect('k1|PED').y).toBeLessThan(rect('k2|PED').y)
    expect(rect('k2|KEP')).toMatchObject({ x: rect('k1|KEP').x, y: rect('k2|PED').y })
    const label = chart.shapes.find((s) => s.kind === 'text' && s.text === '100') as { x: number; y: number }
    expect(label.x).toBeGreaterThan(rect('k2|KEP').x)
    expect(label.y).toBeGreaterThan(rect('k2|KEP').y)
  })

  it('links each number to its evidence and shows no-evidence cells in grey', () => {
    const svg = chartSvg(heatmap(input))
    expect(svg).toContain('<a href="/reports/kecamatan/k1#PED"><rect')
    expect(svg).toContain('<a href="/reports/kecamatan/k1"><text')
    expect(heatmap(input).shapes.find((x) => x.kind === 'rect' && x.data === 'k1|KEP')).toMatchObject({ fill: '#eeeeee' })
    expect(svg).toContain('fill="#eeeeee"')
  })

  it('says "no data" when there are no rows', () => {
    const svg = chartSvg(heatmap({ ...input, rows: [] }))
    expectAccessibleSvg(svg, 'Kecamatan × kompetensi')
    expect(svg).toContain('Belum ada data / No data yet')
    expect(svg).not.toContain('<rect')
  })

  it('escapes names in labels, tooltips and links', () => {
    const svg = chartSvg(heatmap({ title: EVIL, columns: [{ label: EVIL }], rows: [{ label: EVIL, href: '/x?a=1&b="2"', cells: [{ value: 0.5 }] }] }))
    expect(wellFormedProblems(svg)).toEqual([])
    expect(svg).not.toContain('<script')
    expect(svg).toContain('&#60;script&#62;')
    expect(svg).toContain('href="/x?a=1&#38;b=&#34;2&#34;"')
  })

  it('marks more than eight columns as wide, so a phone scrolls instead of shrinking the numbers', () => {
    const columns = Array.from({ length: 9 }, (_, i) => ({ label: `I${i}` }))
    expect(chartSvg(heatmap({ title: 't', columns, rows: [{ label: 'a', cells: columns.map(() => ({ value: 0.5 })) }] }))).toContain('class="chart wide"')
    expect(chartSvg(heatmap(input))).toContain('class="chart"')
  })
})

describe('radar', () => {
  const axes = [
    { label: 'Pedagogik', value: 1, href: '/e/PED', key: 'PED' },
    { label: 'Kepribadian', value: 0.5, key: 'KEP' },
    { label: 'Sosial', value: null, key: 'SOS' },
    { label: 'Profesional', value: 0.75, key: 'PRO' },
  ]

  it('is well-formed, accessible SVG', () => {
    expectAccessibleSvg(chartSvg(radarChart('Profil kompetensi', axes)), 'Profil kompetensi')
  })

  it('puts each rating at its share of the radius on its axis (first axis up, clockwise)', () => {
    const chart = radarChart('p', axes)
    const dot = (key: string) => chart.shapes.find((s) => s.kind === 'circle' && s.data === key) as { cx: number; cy: number }
    expect(dot('PED')).toMatchObject({ cx: 200, cy: 70 })
    expect(dot('KEP')).toMatchObject({ cx: 247.5, cy: 165 })
    expect(dot('SOS')).toMatchObject({ cx: 200, cy: 165 })
    expect(dot('PRO')).toMatchObject({ cx: 128.8, cy: 165 })
    expect(radarPoint(2, 4, 1)).toEqual([200, 260])
  })

  it('prints each rating as a number linked to its evidence', () => {
    const svg = chartSvg(radarChart('p', axes))
    expect(svg).toContain('<a href="/e/PED"><text')
    for (const n of ['>100%<', '>50%<', '>75%<', '>–<']) expect(svg).toContain(n)
  })

  it('says "no data" without axes', () => {
    expect(chartSvg(radarChart('p', []))).toContain('Belum ada data')
  })

  it('escapes axis labels', () => {
    const svg = chartSvg(radarChart(EVIL, [{ label: EVIL, value: 0.2 }, { label: 'b', value: 0.4 }, { label: 'c', value: 0.6 }]))
    expect(wellFormedProblems(svg)).toEqual([])
    expect(svg).not.toContain('<script')
  })
})

describe('funnel bars', () => {
  const stages = [
    { label: 'Terdaftar / Enrolled', value: 60, key: 'enrolled', href: '/reports/district?stage=enrolled' },
    { label: 'In-Service 1', value: 45, key: 'in1' },
    { label: 'Selesai / Completed', value: 0, key: 'done' },
  ]

  it('is well-formed, accessible SVG', () => {
    expectAccessibleSvg(chartSvg(funnelBars('Corong tingkat', stages)), 'Corong tingkat')
  })

  it('draws bars proportional to the largest stage, with the count and share of the first stage', () => {
    const chart = funnelBars('f', stages)
    const bar = (key: string) => chart.shapes.find((s) => s.kind === 'rect' && s.data === key) as { w: number; y: number } | undefined
    expect(bar('in1')!.w / bar('enrolled')!.w).toBeCloseTo(0.75, 2)
    expect(bar('in1')!.y).toBeGreaterThan(bar('enrolled')!.y)
    expect(bar('done')).toBeUndefined()
    const svg = chartSvg(chart)
    expect(svg).toContain('>60 (100%)<')
    expect(svg).toContain('>45 (75%)<')
    expect(svg).toContain('>0 (0%)<')
  })

  it('handles no stages and all-zero stages', () => {
    expect(chartSvg(funnelBars('f', []))).toContain('Belum ada data')
    const svg = chartSvg(funnelBars('f', [{ label: 'a', value: 0 }]))
    expect(wellFormedProblems(svg)).toEqual([])
    expect(svg).toContain('>0<')
  })
})

describe('line chart', () => {
  const points = [{ label: '2026-01', value: 10 }, { label: '2026-02', value: 40 }, { label: '2026-03', value: 25 }]

  it('is well-formed, accessible SVG', () => {
    expectAccessibleSvg(chartSvg(lineChart('Tren bulanan', points, 'guru')), 'Tren bulanan')
  })

  it('places months left to right and values bottom to top on a round axis', () => {
    expect([niceMax(40), niceMax(41), niceMax(0), niceMax(7), niceMax(1000)]).toEqual([50, 50, 1, 10, 1000])
    const chart = lineChart('t', points, 'guru')
    const dot = (label: string) => chart.shapes.find((s) => s.kind === 'circle' && s.data === label) as { cx: number; cy: number }
    expect(dot('2026-01').cx).toBeLessThan(dot('2026-02').cx)
    expect(dot('2026-02').cy).toBeLessThan(dot('2026-03').cy)
    expect(dot('2026-03').cy).toBeLessThan(dot('2026-01').cy)
    // 40 of an axis to 50: four fifths of the plot height (144) above the bottom (160).
    expect(dot('2026-02').cy).toBeCloseTo(160 - 144 * 0.8, 1)
    const svg = chartSvg(chart)
    for (const n of ['>10<', '>40<', '>25<', '>2026-02<']) expect(svg).toContain(n)
  })

  it('draws one month as one dot and no months as "no data"', () => {
    const svg = chartSvg(lineChart('t', [{ label: '2026-01', value: 3 }], 'guru'))
    expect(wellFormedProblems(svg)).toEqual([])
    expect(svg.match(/<circle /gu)).toHaveLength(1)
    expect(chartSvg(lineChart('t', [], 'guru'))).toContain('Belum ada data')
  })
})

describe('mentoring network graph', () => {
  const input = {
    nodes: [
      { key: 'a', name: 'Baiq Aminah', participant: true },
      { key: 'b', name: 'Lalu Bayu', participant: false },
      { key: 'c', name: 'Siti <Cinta>', participant: false },
      { key: 'd', name: 'Dewi', participant: true },
    ],
    edges: [{ mentor: 'a', mentee: 'b', sessions: 3 }, { mentor: 'b', mentee: 'c', sessions: 1 }, { mentor: 'd', mentee: 'b', sessions: 1 }],
  }

  it('is well-formed, accessible SVG with names escaped', () => {
    const svg = chartSvg(networkGraph('Jejaring pendampingan', input))
    expectAccessibleSvg(svg, 'Jejaring pendampingan')
    expect(svg).toContain('Siti &#60;Cinta&#62;')
  })

  it('gives each node its chain depth from a first mentor, cycles included', () => {
    expect(Object.fromEntries(mentoringDepths(input))).toEqual({ a: 0, b: 1, c: 2, d: 0 })
    const cycle = mentoringDepths({ nodes: [], edges: [{ mentor: 'x', mentee: 'y', sessions: 1 }, { mentor: 'y', mentee: 'x', sessions: 1 }] })
    expect(Object.fromEntries(cycle)).toEqual({ x: 0, y: 0 })
  })

  it('lays nodes out deterministically on rings by depth, first mentors inside', () => {
    const chart = networkGraph('g', input)
    const shuffled = networkGraph('g', { nodes: [...input.nodes].reverse(), edges: [...input.edges].reverse() })
    const dots = (c: typeof chart) => c.shapes.filter((s) => s.kind === 'circle' && s.data !== undefined).map((s) => s as { data: string; cx: number; cy: number }).sort((x, y) => x.data.localeCompare(y.data))
    expect(dots(shuffled)).toEqual(dots(chart))
    const distance = (key: string) => { const d = dots(chart).find((n) => n.data === key)!; return Math.hypot(d.cx - 180, d.cy - 180) }
    expect(distance('a')).toBeLessThan(distance('b'))
    expect(distance('b')).toBeLessThan(distance('c'))
    expect(chart.shapes.filter((s) => s.kind === 'line')).toHaveLength(3)
  })

  it('colours participants and reached colleagues apart, with a legend', () => {
    const chart = networkGraph('g', input)
    const fill = (key: string) => (chart.shapes.find((s) => s.kind === 'circle' && s.data === key) as { fill: string }).fill
    expect(fill('a')).not.toBe(fill('b'))
    expect(chartSvg(chart)).toContain('Peserta / Participant')
  })

  it('says "no data" for an empty network', () => {
    expect(chartSvg(networkGraph('g', { nodes: [], edges: [] }))).toContain('Belum ada data')
  })
})

describe('chart helpers', () => {
  it('cuts long labels with an ellipsis', () => {
    expect(fitText('Praya Barat Daya', 50, 12)).toBe('Praya …')
    expect(fitText('Praya', 50, 12)).toBe('Praya')
  })

  it('darkens with the rating and switches the text to white on dark cells (WCAG 2.2 SC 1.4.3 contrast)', () => {
    expect(ratingColour(null).fill).toBe('#eeeeee')
    expect(ratingColour(0).text).toBe('#1b1b1b')
    expect(ratingColour(1)).toEqual({ fill: '#08519c', text: '#ffffff' })
  })

  it('keeps every cell\'s number at 4.5:1 or more against its fill (WCAG 2.1 SC 1.4.3; axe-core cannot measure SVG text)', () => {
    for (const rating of [null, 0, 0.2, 0.4, 0.6, 0.8, 1]) {
      const { fill, text } = ratingColour(rating)
      expect(contrast(fill, text), `${rating}: ${text} on ${fill}`).toBeGreaterThanOrEqual(4.5)
    }
  })
})

/** WCAG 2.1 contrast ratio of two #rrggbb colours (relative luminance, SC 1.4.3 definitions). */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

import { describe, expect, it } from 'vitest'
import { BOM, csvField, neutraliseFormula, tableCsv } from '../../src/reports/export/csv-export.ts'
import { reportPdf } from '../../src/reports/export/pdf-report.ts'
import { pdfText } from '../../src/reports/export/pdf-chart.ts'
import { filterQuery, parseFilter, parseFormat } from '../../src/reports/filter/parse-filter.ts'
import { districtPage } from '../../src/reports/pages/district-page.ts'
import { mentoringNetworkPage } from '../../src/reports/pages/mentoring-network-page.ts'
import { mentoringNetworkTables } from '../../src/reports/tables/mentoring-tables.ts'
import { kecamatanPage } from '../../src/reports/pages/kecamatan-page.ts'
import { teacherPaging } from '../../src/reports/paging.ts'
import { evidencePage, teacherPage } from '../../src/reports/pages/teacher-page.ts'
import { engineStatusBox, generatedLine } from '../../src/reports/pages/layout.ts'
import { districtCharts, kecamatanCharts, teacherCharts } from '../../src/reports/report-charts.ts'
import { districtTables } from '../../src/reports/tables/district-tables.ts'
import { kecamatanTables } from '../../src/reports/tables/kecamatan-tables.ts'
import { teacherTables } from '../../src/reports/tables/teacher-tables.ts'
import { days } from '../../src/reports/tables/table.ts'
import { districtFixture, JONGGAT, KEY_AMINAH, kecamatanFixture, mentoringNetworkFixture, PRAYA, teacherFixture } from './fixtures.ts'
import { pdfPageCount, pdfStrings } from './pdf-text.ts'
import { wellFormedProblems } from './well-formed.ts'

const enc = encodeURIComponent
/** HTML as XML for the well-formedness check: void elements closed, boolean attributes given a value. */
const asXml = (html: string) => html.replace(/^<!doctype html>/u, '').replace(/<(meta|link|input|br)([^>]*?)>/gu, '<$1$2/>').replace(/ (download|selected|open)(?=[ >])/gu, ' $1=""')

describe('CSV export (RFC 4180, UTF-8 with BOM)', () => {
  it('quotes fields holding a comma, quote, CR or LF and doubles inner quotes (RFC 4180 §2.6–2.7)', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('Rekan, "Satu"')).toBe('"Rekan, ""Satu"""')
    expect(csvField('line\nbreak')).toBe('"line\nbreak"')
    expect(csvField('plain')).toBe('plain')
    expect(csvField(null)).toBe('')
    expect(csvField(0.72)).toBe('0.72')
  })

  it('neutralises spreadsheet formulas: a text cell starting with = + - @ TAB or CR gets a leading quote (OWASP CSV injection)', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`)
    expect(neutraliseFormula('Praya')).toBe('Praya')
    expect(csvField(-3)).toBe('-3')
    expect(csvField('\rx')).toBe('"\'\rx"')
  })

  it('writes the district heatmap exactly: BOM, header, one CRLF-ended record per kecamatan (RFC 4180 §2.1–2.3)', () => {
    const csv = tableCsv(districtTables(districtFixture())[0]!)
    expect(csv.startsWith(BOM)).toBe(true)
    expect(csv.slice(1)).toBe([
      'Kecamatan,Guru / Teachers,PED nilai / PED rating,PED cakap / PED proficient,SOS nilai / SOS rating,SOS cakap / SOS proficient',
      'Praya,5,0.72,3,,0',
      "'=Jonggat,4,0.5,1,0.9,4",
      'Belum ditempatkan / Not placed,1,0.1,0,,0',
      '',
    ].join('\r\n'))
  })
})

describe('report filter (issue 6: filters by program, tier, period, kecamatan, school)', () => {
  it('takes days, IRIs and node ids, and treats empty form fields as absent', () => {
    expect(parseFilter({ from: '2026-01-01', to: '2026-06-30', program: 'https://tln.example/programs/tln', tier: '', kecamatan: PRAYA })).toEqual({ from: '2026-01-01', to: '2026-06-30', program: 'https://tln.example/programs/tln', kecamatanId: PRAYA })
    expect(filterQuery({ from: '2026-01-01', kecamatanId: PRAYA })).toBe(`?from=2026-01-01&kecamatan=${PRAYA}`)
  })

  const refusal = (query: Record<string, unknown>) => { try { parseFilter(query); return undefined } catch (e) { return { field: (e as { field: string }).field, rule: (e as { rule: string }).rule } } }

  it('refuses a day that is not a calendar day YYYY-MM-DD (ISO 8601), naming the field', () => {
    expect(refusal({ from: '2026-02-30' })).toEqual({ field: 'from', rule: 'day' })
    expect(refusal({ to: '30/06/2026' })).toEqual({ field: 'to', rule: 'day' })
  })
  it('refuses a period whose end is before its start', () => expect(refusal({ from: '2026-03-01', to: '2026-02-01' })).toEqual({ field: 'to', rule: 'from-not-after-to' }))
  it('refuses a program or tier that is not an absolute IRI (xAPI Data 2.4.4.1 activity id)', () => {
    expect(refusal({ program: 'tln program' })).toEqual({ field: 'program', rule: 'absolute-iri' })
    expect(refusal({ tier: 'dasar' })).toEqual({ field: 'tier', rule: 'absolute-iri' })
  })
  it('refuses a kecamatan or school that is not a node id', () => expect(refusal({ school: '99020601' })).toEqual({ field: 'school', rule: 'uuid' }))
  it('refuses a repeated parameter', () => expect(refusal({ from: ['2026-01-01', '2026-01-02'] })).toEqual({ field: 'from', rule: 'single-value' }))
  it('refuses an unknown export format', () => {
    expect(parseFormat({})).toBe('html')
    expect(() => parseFormat({ format: 'xlsx' })).toThrow(/format: must be one of/)
  })
})

describe('report pages', () => {
  const nav = [{ href: '/reports/district', label: 'Kabupaten' }]

  it('renders the district dashboard: well-formed, no script or style attribute, every heatmap number linked to its kecamatan', () => {
    const r = districtFixture()
    const html = districtPage({ report: r, filter: {}, query: '', choices: { kecamatan: [{ id: PRAYA, name: 'Praya' }] }, nav })
    expect(wellFormedProblems(asXml(html))).toEqual([])
    expect(html).not.toMatch(/<script|style=/u)
    expect(html).toContain(`href="/reports/kecamatan/${PRAYA}#c-PED"`)
    expect(html).toContain('id="tln-engine-status"')
    expect(html).toContain('>72<')
    expect(html).toContain('&#61;Jonggat'.replace('&#61;', '=')) // names are text, not markup
    expect(html).toContain('format=pdf')
  })

  it('starts the navigation line with the way back to the TLN menu (/lti/home; a local account is sent on to /account)', () => {
    const html = districtPage({ report: districtFixture(), filter: {}, query: '', choices: { kecamatan: [] }, nav })
    expect(html).toMatch(/<nav aria-label="Laporan \/ Reports"><a href="\/lti\/home" id="tln-home-link">Beranda TLN <span lang="en">\/ TLN home<\/span><\/a> · <a href="\/reports">/u)
  })

  it('shows mentoring reach per kecamatan on the dashboard and links the network page instead of drawing it', () => {
    const html = districtPage({ report: districtFixture(), filter: {}, query: '?from=2026-01-01', choices: { kecamatan: [] }, nav })
    expect(wellFormedProblems(asXml(html))).toEqual([])
    expect(html).toContain('1 pendamping, 1 orang didampingi dalam 2 sesi; rantai terpanjang: 1')
    expect(html).toContain('href="/reports/mentoring-network?from=2026-01-01"')
    expect(html).not.toContain('Rekan')
    expect(districtTables(districtFixture()).find((t) => t.name === 'mentoring')!.rows.map((row) => row.map((c) => c.value)))
      .toEqual([['Praya', 1, 1, 2, 1], ['=Jonggat', 0, 0, 0, 0]])
  })

  it('renders the mentoring network page: the graph, every relation linked to the mentor, well-formed and script-free', () => {
    const html = mentoringNetworkPage({ report: mentoringNetworkFixture(), filter: {}, query: '', choices: { kecamatan: [] }, nav })
    expect(wellFormedProblems(asXml(html))).toEqual([])
    expect(html).not.toMatch(/<script|style=/u)
    expect(html).toContain('<svg')
    expect(html).toContain(`href="/reports/teacher/${enc(KEY_AMINAH)}#mentoring"`)
    expect(html).toContain('<td>Rekan, &#34;Satu&#34;</td>')
    expect(html).toContain('href="/reports/district"')
    expect(tableCsv(mentoringNetworkTables(mentoringNetworkFixture())[0]!)).toContain('Baiq Aminah,"Rekan, ""Satu""",2')
  })

  it('links every kecamatan heatmap cell to that teacher\'s evidence, under the competence anchor the district links to', () => {
    const html = kecamatanPage({ report: kecamatanFixture(), filter: {}, query: '', choices: {}, nav, paging: teacherPaging(2, 1) })
    expect(wellFormedProblems(asXml(html))).toEqual([])
    expect(html).toContain('id="c-PED"')
    expect(html).toContain(`href="/reports/teacher/${enc(KEY_AMINAH)}/evidence/PED.C.2"`)
    // An indicator nobody has evidence for gets no column.
    expect(html).not.toContain('>PED.C.3<')
  })

  it('links each teacher rating to its evidence and each timeline entry to its statement', () => {
    const html = teacherPage({ report: teacherFixture(), badges: [], filter: {}, query: '?from=2026-01-01', nav })
    expect(wellFormedProblems(asXml(html))).toEqual([])
    expect(html).toContain(`href="/reports/teacher/${enc(KEY_AMINAH)}/evidence/PED?from=2026-01-01"`)
    expect(html).toContain(`href="/reports/teacher/${enc(KEY_AMINAH)}/statements/33333333-3333-4333-8333-333333333333"`)
    expect(html).toContain('id="mentoring"')
  })

  it('links the CLR only when there is one to download (no badge and no proficient rating: /badges/clr answers 404)', () => {
    const clr = `href="/badges/clr/${enc(KEY_AMINAH)}"`
    expect(teacherPage({ report: teacherFixture(), badges: [], filter: {}, query: '', nav })).toContain(clr)
    const none = { ...teacherFixture(), ratings: teacherFixture().ratings.map((r) => ({ ...r, proficient: false })) }
    const html = teacherPage({ report: none, badges: [], filter: {}, query: '', nav })
    expect(html).not.toContain(clr)
    expect(html).toContain('Belum ada CLR')
    expect(teacherPage({ report: { ...none, tier: { ...none.tier, completedAt: '2026-03-01T02:00:00.000Z' } }, badges: [], filter: {}, query: '', nav })).toContain(clr)
  })

  it('shows times on the report zone\'s clock, rating methods in words and titles of sub-competences; CSV keeps the data', () => {
    const html = teacherPage({ report: { ...teacherFixture(), ratings: [...teacherFixture().ratings, { code: 'PED.C', level: 'sub-competence', rating: 0.8, proficient: true, method: 'allChildrenProficient', configVersion: 2, evidence: [] }] }, badges: [], filter: {}, query: '', nav })
    expect(html).toContain('2026-02-01 10:00 WITA') // a phase completed at 02:00 UTC
    expect(html).toContain('2026-03-10 10:00 WITA') // the last mentoring session
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z</)
    expect(html).toContain('terbaru / latest')
    expect(html).toContain('Merencanakan kegiatan')
    const tier = teacherTables(teacherFixture()).find((t) => t.name === 'tier')!
    expect(tier.rows[0]![2]).toEqual({ value: '2026-02-01T02:00:00.000Z', display: '2026-02-01 10:00 WITA' })
  })

  it('shows the median days to complete a task to one decimal, as Indonesians write it; the data keeps two', () => {
    expect(days(2.5631944444444446)).toEqual({ value: 2.56, display: '2,6' })
    expect(days(4)).toEqual({ value: 4, display: '4' })
    expect(days(null)).toEqual({ value: null, display: '–' })
  })

  it('lists the teacher\'s badges with their page, download and verification, and says when one is revoked', () => {
    const url = 'https://tln.example.org/badges/3f1c2b8e-0000-4000-8000-000000000001'
    const badge = { id: '3f1c2b8e-0000-4000-8000-000000000001', learnerKey: KEY_AMINAH, achievement: 'https://tln.example/tiers/dasar', name: 'Diklat Berjenjang Tingkat Dasar', issuedAt: '2026-05-23T07:00:00.000Z', revokedAt: null, revocationReason: null, url, jwtUrl: `${url}.jwt`, verifyUrl: `${url}/verify` }
    const html = teacherPage({ report: teacherFixture(), badges: [badge], filter: {}, query: '', nav })
    expect(wellFormedProblems(asXml(html))).toEqual([])
    expect(html).toContain('Diklat Berjenjang Tingkat Dasar')
    expect(html).toContain(`href="${url}"`)
    expect(html).toContain(`href="${url}.jwt" download`)
    expect(html).toContain(`href="${url}/verify"`)
    expect(html).toContain('2026-05-23 15:00 WITA')
    expect(html).not.toContain('Dicabut')
    const revoked = teacherPage({ report: teacherFixture(), badges: [{ ...badge, revokedAt: '2026-06-01T00:00:00.000Z', revocationReason: 'voided' }], filter: {}, query: '', nav })
    expect(revoked).toContain('Dicabut')
    expect(teacherPage({ report: teacherFixture(), badges: [], filter: {}, query: '', nav })).toContain('id="tln-no-badges"')
  })

  it('lists the statements behind a number with verb, object, score, rule, source and time', () => {
    const html = evidencePage({ report: teacherFixture(), code: 'PED.C.2', query: '', nav, rows: [{ statementId: '11111111-1111-4111-8111-111111111111', indicator: 'PED.C.2', score: 0.8, weight: 1, source: 'facilitator-rubric', rule: 'tln-rpph@1', at: '2026-02-06T02:00:00.000Z', verb: 'http://adlnet.gov/expapi/verbs/scored', objectName: 'RPPH' }] })
    // The time on the report zone's clock (the fixture's is unset: Lombok's, WITA).
    for (const s of ['facilitator-rubric', 'tln-rpph@1', '>scored<', '>RPPH<', '>80%<', '2026-02-06 10:00 WITA']) expect(html).toContain(s)
    expect(html).toContain(`/statements/11111111-1111-4111-8111-111111111111`)
  })

  it('shows when the report was made and the last statement on the clock of the report\'s zone, the exact instant in datetime', () => {
    expect(generatedLine('2026-06-30T23:30:00.000Z', 'Asia/Makassar')).toContain('<time datetime="2026-06-30T23:30:00.000Z">2026-07-01 07:30 WITA</time>')
    expect(generatedLine('2026-06-30T23:30:00.000Z', 'Asia/Jakarta')).toContain('2026-07-01 06:30 WIB')
    const box = engineStatusBox({ state: 'current', processed: 5, lastStored: '2026-06-30T23:30:00.000Z', timeZone: 'Asia/Jayapura' })
    expect(box).toContain('<time datetime="2026-06-30T23:30:00.000Z">2026-07-01 08:30 WIT</time>')
  })

  it('names the time zone report days and months are counted in', () => {
    expect(engineStatusBox({ state: 'current', processed: 5, timeZone: 'Asia/Makassar' })).toContain('id="tln-time-zone"')
    expect(engineStatusBox({ state: 'current', processed: 5, timeZone: 'Asia/Makassar' })).toContain('Asia/Makassar')
  })

  it('says how many statements the engine could not count, and is not green while there are any', () => {
    const box = engineStatusBox({ state: 'current', processed: 5, skipped: 1200, timeZone: 'Asia/Makassar' })
    expect(box).toContain('id="tln-skipped"')
    expect(box).toContain('1.200 pernyataan tidak dapat dihitung')
    expect(box).toContain('1.200 statements could not be counted')
    expect(box).not.toContain('box ok')
    expect(engineStatusBox({ state: 'current', processed: 5, skipped: 0, timeZone: 'Asia/Makassar' })).not.toContain('tln-skipped')
    expect(engineStatusBox({ state: 'current', processed: 5, skipped: 0, timeZone: 'Asia/Makassar' })).toContain('box ok')
  })

  it('shows the engine state: current, catching up, rebuilding n of m', () => {
    expect(engineStatusBox({ state: 'rebuilding', processed: 10, rebuildDone: 250, rebuildTotal: 1000, timeZone: 'Asia/Makassar' })).toContain('250 dari 1.000')
    expect(engineStatusBox({ state: 'catching-up', processed: 5, timeZone: 'Asia/Makassar' })).toContain('data-state="catching-up"')
    expect(engineStatusBox({ state: 'current', processed: 5, timeZone: 'Asia/Makassar' })).toContain('Up to date')
  })
})

describe('PDF export (pdfkit, A4)', () => {
  it('is a PDF with title, filter, generation time, charts as vectors, tables and page numbers', async () => {
    const r = districtFixture()
    const pdf = await reportPdf({ title: 'Laporan Kabupaten Lombok Tengah', filter: ['from: 2026-01-01'], generatedAt: r.generatedAt, engine: r.engine, charts: districtCharts(r), tables: districtTables(r), compress: false })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pages = pdfPageCount(pdf)
    expect(pages).toBeGreaterThanOrEqual(2)
    const text = pdfStrings(pdf).join('\n')
    expect(text).toContain('Laporan Kabupaten Lombok Tengah')
    expect(text).toContain('Saringan / Filter: from: 2026-01-01')
    // Generated 08:00 UTC, printed on the clock of the report's zone (the fixture's is unset: Lombok's).
    expect(text).toContain('2026-06-30 16:00 WITA')
    expect(text).toContain(`Halaman ${pages} dari ${pages} / Page ${pages} of ${pages}`)
    expect(text).toContain('Praya')
    // A4 media box (ISO 216 in points) and vector drawing operators, no images.
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]')
    expect(pdf.toString('latin1')).not.toContain('/Subtype /Image')
  })

  it('says in its status line how many statements could not be counted, as the page\'s status box does', async () => {
    const r = districtFixture()
    const text = async (engine: typeof r.engine) => pdfStrings(await reportPdf({ title: 'Status', filter: [], generatedAt: r.generatedAt, engine, charts: [], tables: [], compress: false })).join(' ').replace(/\s+/gu, ' ')
    const skipped = await text({ ...r.engine, skipped: 1200 })
    // The status line wraps; its lines joined by a space read as one.
    expect(skipped).toContain('1.200 pernyataan tidak dapat dihitung; operator dapat melihatnya dengan tln competence skipped / 1.200 statements could not be counted; an operator can list them with tln competence skipped')
    expect(skipped).toContain('Status data / Data status: terkini / up to date; 1234 pernyataan / statements; 1.200 pernyataan')
    expect(await text({ ...r.engine, skipped: 0 })).not.toContain('tidak dapat dihitung')
  })

  it('prints the kecamatan and teacher reports too', async () => {
    const k = kecamatanFixture()
    const t = teacherFixture()
    for (const input of [
      { title: 'Kecamatan Praya', charts: kecamatanCharts(k), tables: kecamatanTables(k).filter((x) => x.name !== 'heatmap'), engine: k.engine },
      { title: 'Baiq Aminah', charts: teacherCharts(t), tables: teacherTables(t), engine: t.engine },
    ]) {
      const pdf = await reportPdf({ ...input, filter: [], generatedAt: '2026-06-30T08:00:00.000Z' })
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(1)
    }
  })

  it('writes text outside WinAnsi as ASCII marks, never as a wrong glyph', () => {
    expect(pdfText('PED — 80% … → 日本')).toBe('PED - 80% ... -> ??')
  })

  it('keeps the data of an empty report printable', async () => {
    const r = { ...districtFixture(), heatmap: [], funnel: [], trend: [], quota: [], mentoring: { mentors: 0, mentees: 0, sessions: 0, maxDepth: 0, kecamatan: [] } }
    const pdf = await reportPdf({ title: 'Kosong', filter: [], generatedAt: r.generatedAt, engine: r.engine, charts: districtCharts(r), tables: districtTables(r), compress: false })
    expect(pdfStrings(pdf).join('\n')).toContain('No data yet')
  })
})

describe('report tables', () => {
  it('keep ratings as data (0..1) for CSV and show percentages on the page', () => {
    const heat = districtTables(districtFixture())[0]!
    expect(heat.rows[0]![2]).toMatchObject({ value: 0.72, display: '72%', href: `/reports/kecamatan/${PRAYA}#c-PED` })
    expect(heat.rows[1]![0]).toMatchObject({ value: '=Jonggat', href: `/reports/kecamatan/${JONGGAT}` })
    expect(heat.rows[2]![0]!.href).toBeUndefined()
  })
})

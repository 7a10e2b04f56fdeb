import type { BadgeSummary, TeacherReport } from '@tln/competence'
import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import { localTimeHtml } from '../../http/local-time.ts'
import { evidenceUrl, teacherUrl } from '../links.ts'
import { teacherCharts } from '../report-charts.ts'
import { evidenceTable, type EvidenceRow } from '../tables/evidence-table.ts'
import { teacherTables, titlesByCode } from '../tables/teacher-tables.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { filterForm } from './filter-form.ts'
import { engineStatusBox, generatedLine, reportPage, type NavLink } from './layout.ts'
import { chartSection, exportLinks, tableSection } from './report-sections.ts'

const RADAR_MEANING = { id: 'Nilai tiap kompetensi (0–100%) dari bukti yang tercatat; sentuh angka untuk melihat buktinya.', en: 'Rating of each competence (0–100%) from the recorded evidence; tap a number to see its evidence.' }

/**
 * The CLR download, or why there is none yet: a CLR bundles badges (one per completed tier) and
 * proficient ratings, and without either `/badges/clr/…` answers 404 (`ERR_BADGE_CLR_EMPTY`).
 */
function clrLine(r: Pick<TeacherReport, 'teacher' | 'ratings' | 'tier'>): string {
  const note = `<small>(Comprehensive Learner Record 2.0: ${bothUnlessSame('lencana dan kompetensi mahir, bertanda tangan', 'badges and proficient competences, signed')})</small>`
  if (!r.ratings.some((x) => x.proficient) && r.tier.completedAt === null) {
    return `<p id="tln-clr">${bothUnlessSame('Belum ada CLR: belum ada lencana atau kompetensi yang mahir.', 'No CLR yet: no badge and no proficient competence.')} ${note}</p>`
  }
  return `<p id="tln-clr"><a href="/badges/clr/${encodeURIComponent(r.teacher.learnerKey)}" download>${bothUnlessSame('Unduh CLR', 'Download CLR')}</a> ${note}</p>`
}

/**
 * The teacher's Open Badges (one per completed tier), newest first, each with its public page,
 * the signed file to keep or put in a wallet, and the verification; a revoked one says so.
 */
export function badgesSection(badges: readonly BadgeSummary[], timeZone: string): string {
  const list = badges.length === 0
    ? `<p id="tln-no-badges">${bothUnlessSame('Belum ada lencana: lencana diterbitkan saat satu tingkat diklat selesai.', 'No badge yet: a badge is issued when a training tier is completed.')}</p>`
    : `<ul id="tln-badges">${badges.map((b) => `<li data-badge="${e(b.id)}"><strong>${e(b.name)}</strong> — ${bothUnlessSame('terbit', 'issued')} ${localTimeHtml(new Date(b.issuedAt), timeZone)}${b.revokedAt === null ? '' : ` <strong class="revoked">${bothUnlessSame('Dicabut', 'Revoked')}</strong> ${localTimeHtml(new Date(b.revokedAt), timeZone)}`}<br>
<a href="${e(b.url)}">${bothUnlessSame('Halaman lencana', 'Badge page')}</a> · <a href="${e(b.jwtUrl)}" download>${bothUnlessSame('Unduh (.jwt)', 'Download (.jwt)')}</a> · <a href="${e(b.verifyUrl)}">${bothUnlessSame('Periksa', 'Verify')}</a></li>`).join('\n')}</ul>`
  return `<section id="badges" aria-labelledby="h-badges"><h2 id="h-badges">${bothUnlessSame('Lencana', 'Badges')}</h2>
${list}</section>`
}

/** A teacher's profile (issue 6, "teacher"): radar, ratings, badges, tier progress, tasks, mentoring, timeline. */
export function teacherPage(input: { report: TeacherReport; badges: readonly BadgeSummary[]; filter: ParsedFilter; query: string; nav: readonly NavLink[] }): string {
  const { report: r, query } = input
  const path = teacherUrl(r.teacher.learnerKey)
  const tables = new Map(teacherTables(r, query).map((t) => [t.name, t]))
  const where = [r.teacher.schoolName, r.teacher.kecamatanName].filter((x) => x !== null).map((x) => e(x!)).join(', ')
  const body = `
<h1 id="tln-teacher-name">${e(r.teacher.name)}</h1>
<p>${where === '' ? bothUnlessSame('Belum ditempatkan di sekolah', 'Not placed at a school') : where}</p>
${generatedLine(r.generatedAt, r.engine.timeZone)}
${engineStatusBox(r.engine)}
${filterForm(path, input.filter)}
${exportLinks(path, query)}
${clrLine(r)}
<section aria-labelledby="h-profile"><h2 id="h-profile">${bothUnlessSame('Profil kompetensi', 'Competence profile')}</h2>
${teacherCharts(r, query).map((c) => chartSection(c, RADAR_MEANING)).join('\n')}
${tableSection(path, query, tables.get('ratings')!)}</section>
${badgesSection(input.badges, r.engine.timeZone)}
<section aria-labelledby="h-tier"><h2 id="h-tier">${bothUnlessSame('Kemajuan tingkat', 'Tier progress')}</h2>
${tableSection(path, query, tables.get('tier')!)}</section>
<section aria-labelledby="h-tasks"><h2 id="h-tasks">${bothUnlessSame('Tugas dan nilai', 'Tasks and grades')}</h2>
${tableSection(path, query, tables.get('tasks')!)}</section>
<section id="mentoring" aria-labelledby="h-mentoring"><h2 id="h-mentoring">${bothUnlessSame('Pendampingan', 'Mentoring')}</h2>
${tableSection(path, query, tables.get('mentoring')!)}</section>
<section aria-labelledby="h-timeline"><h2 id="h-timeline">${bothUnlessSame('Linimasa', 'Timeline')}</h2>
${tableSection(path, query, tables.get('timeline')!)}</section>`
  return reportPage(`TLN — ${r.teacher.name}`, body, input.nav)
}

/** The statements behind one number (issue 6: "every number traceable to its evidence"). */
export function evidencePage(input: { report: Pick<TeacherReport, 'teacher' | 'competences' | 'engine' | 'generatedAt' | 'ratings'>; code: string; rows: readonly EvidenceRow[]; query: string; nav: readonly NavLink[] }): string {
  const { report: r, code, query } = input
  const key = r.teacher.learnerKey
  const path = evidenceUrl(key, code)
  const title = titlesByCode(r).get(code)
  const rating = r.ratings.find((x) => x.code === code)
  const summary = rating === undefined
    ? bothUnlessSame('Belum ada nilai untuk kode ini.', 'No rating for this code yet.')
    : bothUnlessSame(`Nilai ${Math.round(rating.rating * 100)}% (${rating.proficient ? 'cakap' : 'belum cakap'}), metode ${rating.method}, versi aturan ${rating.configVersion}, dari ${rating.evidence.length} pernyataan.`,
      `Rating ${Math.round(rating.rating * 100)}% (${rating.proficient ? 'proficient' : 'not yet proficient'}), method ${rating.method}, rule version ${rating.configVersion}, from ${rating.evidence.length} statements.`)
  const body = `
<h1>${bothUnlessSame(`Bukti ${code}`, `Evidence for ${code}`)}</h1>
<p><a href="${e(teacherUrl(key, query))}">${e(r.teacher.name)}</a>${title === undefined ? '' : ` — ${e(title)}`}</p>
${generatedLine(r.generatedAt, r.engine.timeZone)}
${engineStatusBox(r.engine)}
<p id="tln-rating-summary">${summary}</p>
${exportLinks(path, query)}
${tableSection(path, query, evidenceTable(key, input.rows, r.engine.timeZone))}`
  return reportPage(`TLN — Bukti ${code}`, body, input.nav)
}

/** One statement as stored in the LRS, for the reader who followed a number to its source. */
export function statementPage(input: { learnerKey: string; teacherName: string; statementId: string; json: string; voided: boolean; nav: readonly NavLink[] }): string {
  let pretty = input.json
  try { pretty = JSON.stringify(JSON.parse(input.json), null, 2) } catch { /* shown as stored */ }
  const body = `
<h1>${bothUnlessSame('Pernyataan xAPI', 'xAPI statement')}</h1>
<p><a href="${e(teacherUrl(input.learnerKey))}">${e(input.teacherName)}</a> — <code>${e(input.statementId)}</code>${input.voided ? ` <strong>${bothUnlessSame('dibatalkan', 'voided')}</strong>` : ''}</p>
<pre id="tln-statement" class="statement">${e(pretty)}</pre>`
  return reportPage(`TLN — ${input.statementId}`, body, input.nav)
}

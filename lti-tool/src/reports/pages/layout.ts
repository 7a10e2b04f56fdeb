import type { EngineStatus } from '@tln/competence'
import { both, bothUnlessSame, escapeHtml as e, HOME_PATH } from '../../http/html.ts'
import { localTimeHtml } from '../../http/local-time.ts'
import { skippedNotice } from '../engine-status-text.ts'
import { REPORTS_BASE } from '../links.ts'

export interface NavLink {
  readonly href: string
  readonly label: string
}

/**
 * The frame of a report page: the tool's stylesheet plus the small reports stylesheet (wider on
 * a desktop, tables that scroll sideways on a phone), no script, no style attribute (CSP), a
 * navigation line the viewer's rights decide, after the way back to the TLN menu.
 */
export function reportPage(title: string, body: string, nav: readonly NavLink[] = []): string {
  const links = nav.map((l) => `<a href="${e(l.href)}">${l.label}</a>`).join(' · ')
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<link rel="stylesheet" href="/lti/static/tln.css">
<link rel="stylesheet" href="${REPORTS_BASE}/static/reports.css">
</head>
<body class="reports">
<nav aria-label="Laporan / Reports"><a href="${HOME_PATH}" id="tln-home-link">${both({ id: 'Beranda TLN', en: 'TLN home' })}</a> · <a href="${REPORTS_BASE}">${bothUnlessSame('Laporan', 'Reports')}</a>${links === '' ? '' : ` · ${links}`}</nav>
<main>
${body}
</main>
</body>
</html>
`
}

/** The engine's state on every report: are these numbers current? (issue 6: "rebuild … with progress shown"). */
export function engineStatusBox(engine: EngineStatus & { readonly timeZone: string }): string {
  const n = (x: number) => x.toLocaleString('id-ID')
  let text: string
  switch (engine.state) {
    case 'current':
      text = bothUnlessSame(`Data terkini: ${n(engine.processed)} pernyataan diproses`, `Up to date: ${n(engine.processed)} statements processed`)
      break
    case 'catching-up':
      text = bothUnlessSame(`Sedang mengejar data baru (${n(engine.processed)} pernyataan diproses); angka masih dapat berubah`, `Catching up (${n(engine.processed)} statements processed); numbers may still change`)
      break
    case 'rebuilding': {
      const done = engine.rebuildDone ?? 0
      const total = engine.rebuildTotal ?? 0
      text = bothUnlessSame(`Sedang membangun ulang laporan: ${n(done)} dari ${n(total)} pernyataan`, `Rebuilding the reports: ${n(done)} of ${n(total)} statements`)
      break
    }
    case 'not-started':
      text = bothUnlessSame('Mesin laporan belum berjalan; belum ada angka', 'The report engine has not run yet; no numbers yet')
      break
  }
  const last = engine.lastStored === undefined ? '' : ` <small>(${bothUnlessSame('pernyataan terakhir', 'last statement')}: ${localTimeHtml(new Date(engine.lastStored), engine.timeZone)})</small>`
  // Report days and months are local to this zone (TLN_TIME_ZONE when the projections were built), not UTC.
  const zone = ` <small id="tln-time-zone">(${bothUnlessSame('hari dan bulan menurut zona waktu', 'days and months in time zone')} ${e(engine.timeZone)})</small>`
  // Stored in the LRS but not projected (competence_skipped_statement): the numbers leave them out, so say so.
  const notice = skippedNotice(engine)
  const skipped = notice === undefined ? '' : ` <small id="tln-skipped">(${bothUnlessSame(notice.id, notice.en)})</small>`
  const cls = engine.state === 'current' && skipped === '' ? 'box ok' : 'box'
  return `<p id="tln-engine-status" class="${cls} status" data-state="${e(engine.state)}" role="status">${text}${last}${zone}${skipped}</p>`
}

/** When the report was made, on the clock of the report's zone, shown under the title (and printed in the PDF). */
export function generatedLine(generatedAt: string, timeZone: string): string {
  return `<p><small>${bothUnlessSame('Dibuat', 'Generated')}: ${localTimeHtml(new Date(generatedAt), timeZone)}</small></p>`
}

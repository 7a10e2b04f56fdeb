import { both, escapeHtml as e, signedInPage } from '../http/html.ts'
import { localTimeHtml } from '../http/local-time.ts'
import type { OrgNode } from '../org/org-types.ts'
import { checkInWindow, CODE_LENGTH, windowBounds } from './check-in-code.ts'
import type { FieldErrors } from './meeting-form.ts'
import type { MeetingView } from './meeting-service.ts'
import type { Meeting } from './meeting-store.ts'
import { field, noticeBox, problemBox, selected, type Text } from './page-parts.ts'

const KIND: Readonly<Record<Meeting['kind'], Text>> = {
  routine: { id: 'Pertemuan rutin (dua mingguan)', en: 'Routine meeting (biweekly)' },
  workshop: { id: 'Hari lokakarya', en: 'Workshop day' },
}

/** The meeting and observation pages' own few rules (`/lti/meetings/meetings.css`): the CSP allows styles from this origin only. */
export const MEETINGS_CSS = `.tln-code{font-size:2.4rem;letter-spacing:.3rem;margin:.25rem 0}.tln-code-input{font-size:1.6rem;letter-spacing:.2rem}button [lang=en],.field-error [lang=en]{color:inherit}
.field-error{color:#b91c1c}select,input[type=text],input[type=date],input[type=time],input[type=number]{font:inherit;padding:.4rem;max-width:100%;box-sizing:border-box}
input[type=text]{width:100%}ul.queue form{display:inline}ul.queue li{border-bottom:1px solid #eee;padding:.3rem 0}
`
/** The stylesheet link, placed in the body (HTML allows a body-ok stylesheet link there). */
export const CSS_LINK = '<link rel="stylesheet" href="/lti/meetings/meetings.css">'

/** The TLN groups a facilitator runs, and the check-in link for teachers. */
export function groupsPage(groups: readonly OrgNode[]): string {
  const list = groups.length === 0
    ? '<p id="tln-no-groups">Anda belum memegang kelompok TLN. <span lang="en">You hold no TLN group.</span></p>'
    : `<ul class="queue" id="tln-groups">${groups.map((g) => `<li><a href="/lti/meetings/groups/${e(g.id)}">TLN ${e(g.name)}</a></li>`).join('\n')}</ul>`
  return signedInPage('TLN — Pertemuan', `${CSS_LINK}
<h1>${both({ id: 'Pertemuan dan kehadiran', en: 'Meetings and attendance' })}</h1>
${list}
<p><a href="/lti/meetings/check-in">${both({ id: 'Isi kehadiran dengan kode', en: 'Check in with a code' })}</a></p>`)
}

export interface MeetingFormValues { kind?: string; title?: string; date?: string; time?: string; place?: string }

/**
 * A group's meetings, newest first, and the form to schedule one. Times are on the deployment's
 * clock (`timeZone`); the start time's label names it (`zoneName`: WIB, WITA, WIT).
 */
export function groupPage(input: { group: OrgNode; meetings: readonly Meeting[]; csrf: string; timeZone: string; zoneName: string; values?: MeetingFormValues; errors?: FieldErrors }): string {
  const { group, errors = {}, values = {} } = input
  const when = (d: Date) => localTimeHtml(d, input.timeZone)
  const rows = input.meetings.length === 0
    ? '<p id="tln-no-meetings">Belum ada pertemuan. <span lang="en">No meetings yet.</span></p>'
    : `<ul class="queue" id="tln-meetings">${input.meetings.map((m) => `<li><a href="/lti/meetings/${e(m.id)}">${e(m.title)}</a><br><small>${both(KIND[m.kind])} · ${when(m.startsAt)} · ${e(m.place)} · ${m.attended ?? 0} ${both({ id: 'hadir', en: 'attended' })}</small></li>`).join('\n')}</ul>`
  const summary = Object.keys(errors).length === 0 ? '' : problemBox({ id: 'Periksa kolom yang ditandai.', en: 'Check the marked fields.' })
  return signedInPage(`TLN — Pertemuan ${group.name}`, `${CSS_LINK}
<p><a href="/lti/meetings">← ${both({ id: 'Kelompok TLN', en: 'TLN groups' })}</a></p>
<h1>${both({ id: `Pertemuan TLN ${group.name}`, en: 'Meetings' })}</h1>
${rows}
<h2>${both({ id: 'Jadwalkan pertemuan', en: 'Schedule a meeting' })}</h2>
${summary}
<form method="post" action="/lti/meetings/groups/${e(group.id)}" id="tln-meeting-form" novalidate>
<input type="hidden" name="csrf" value="${e(input.csrf)}">
${field({ id: 'kind', label: { id: 'Jenis', en: 'Kind' }, ...(errors.kind !== undefined && { error: errors.kind }), control: (a) => `<select ${a} name="kind">${(['routine', 'workshop'] as const).map((k) => `<option value="${k}"${selected(k, values.kind ?? 'routine')}>${e(KIND[k].id)} / ${e(KIND[k].en)}</option>`).join('')}</select>` })}
${field({ id: 'title', label: { id: 'Judul', en: 'Title' }, ...(errors.title !== undefined && { error: errors.title }), control: (a) => `<input ${a} name="title" type="text" maxlength="200" required value="${e(values.title ?? '')}">` })}
${field({ id: 'date', label: { id: 'Tanggal', en: 'Date' }, ...(errors.date !== undefined && { error: errors.date }), hint: { id: 'Boleh tanggal yang sudah lewat (sampai 60 hari) untuk mencatat kehadiran sesudahnya.', en: 'A past date (up to 60 days) is fine to record attendance after the fact.' }, control: (a) => `<input ${a} name="date" type="date" required value="${e(values.date ?? '')}">` })}
${field({ id: 'time', label: { id: `Jam mulai (${input.zoneName})`, en: `Start time (${input.zoneName})` }, ...(errors.time !== undefined && { error: errors.time }), control: (a) => `<input ${a} name="time" type="time" required value="${e(values.time ?? '09:00')}">` })}
${field({ id: 'place', label: { id: 'Tempat', en: 'Place' }, ...(errors.place !== undefined && { error: errors.place }), control: (a) => `<input ${a} name="place" type="text" maxlength="200" value="${e(values.place ?? '')}">` })}
<button type="submit">${both({ id: 'Simpan pertemuan', en: 'Save meeting' })}</button>
</form>`)
}

function codeBox(m: Meeting, now: number, timeZone: string): string {
  const when = (d: Date) => localTimeHtml(d, timeZone)
  const state = checkInWindow(m.startsAt, now)
  const { opens, closes } = windowBounds(m.startsAt)
  if (state === 'open') {
    return `<div class="box ok" id="tln-code-box"><p>${both({ id: 'Kode kehadiran', en: 'Check-in code' })}:</p>
<p class="tln-code"><strong id="tln-code">${e(m.code)}</strong></p>
<p><small>Guru membuka <strong>/lti/meetings/check-in</strong> dan mengetik kode ini, sampai ${when(closes)}. <span lang="en">Teachers open /lti/meetings/check-in and type this code, until then.</span></small></p></div>`
  }
  return state === 'not-yet'
    ? `<div class="box" id="tln-code-box"><p>Kode kehadiran muncul mulai ${when(opens)}. <span lang="en">The check-in code shows from then.</span></p></div>`
    : `<div class="box" id="tln-code-box"><p>Masa isi kehadiran dengan kode sudah lewat; tandai kehadiran di bawah. <span lang="en">Code check-in has closed; mark attendance below.</span></p></div>`
}

/** One meeting: its code (during the window), who attended (with undo), and the checkbox list of the group's teachers. */
export function meetingPage(input: { view: MeetingView; csrf: string; now: number; timeZone: string; notice?: Text; problem?: Text }): string {
  const when = (d: Date) => localTimeHtml(d, input.timeZone)
  const { meeting: m, group, teachers, attendance } = input.view
  const live = attendance.filter((a) => !a.voided)
  const present = new Set(live.map((a) => a.personId))
  const attended = live.length === 0
    ? '<p id="tln-attended-none">Belum ada yang hadir. <span lang="en">Nobody has attended yet.</span></p>'
    : `<ul class="queue" id="tln-attended">${live.map((a) => `<li data-person="${e(a.personId)}">${e(a.personName)} <small>(${a.method === 'code' ? both({ id: 'kode', en: 'code' }) : both({ id: 'ditandai', en: 'marked' })})</small>
<form method="post" action="/lti/meetings/${e(m.id)}/attendance/${e(a.personId)}/undo"><input type="hidden" name="csrf" value="${e(input.csrf)}"><button type="submit" class="secondary" aria-label="Batalkan kehadiran ${e(a.personName)} / Undo">${both({ id: 'Batalkan', en: 'Undo' })}</button></form></li>`).join('\n')}</ul>`
  const absent = teachers.filter((t) => !present.has(t.id))
  const markForm = absent.length === 0 ? '' : `
<form method="post" action="/lti/meetings/${e(m.id)}/attendance" id="tln-mark-form">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<fieldset><legend>${both({ id: 'Tandai yang hadir', en: 'Mark who attended' })}</legend>
<ul class="picker">${absent.map((t) => `<li><input type="checkbox" id="p-${e(t.id)}" name="person" value="${e(t.id)}"> <label for="p-${e(t.id)}">${e(t.name)}</label></li>`).join('\n')}</ul>
</fieldset>
<button type="submit">${both({ id: 'Simpan kehadiran', en: 'Save attendance' })}</button>
</form>`
  return signedInPage(`TLN — ${m.title}`, `${CSS_LINK}
<p><a href="/lti/meetings/groups/${e(group.id)}">← ${both({ id: `Pertemuan TLN ${group.name}`, en: 'Meetings' })}</a></p>
<h1 id="tln-meeting" data-meeting="${e(m.id)}">${e(m.title)}</h1>
<p>${both(KIND[m.kind])}<br>${when(m.startsAt)}${m.place !== '' ? ` · ${e(m.place)}` : ''}</p>
${noticeBox(input.notice)}${problemBox(input.problem)}
${codeBox(m, input.now, input.timeZone)}
<h2>${both({ id: 'Hadir', en: 'Attended' })} (<span id="tln-attended-count">${live.length}</span>)</h2>
${attended}
${markForm}`)
}

/** The teacher's check-in page: one code field, big enough to type on a phone. */
export function checkInPage(input: { csrf: string; problem?: Text; notice?: Text; code?: string; status?: 'done' }): string {
  return signedInPage('TLN — Isi kehadiran', `${CSS_LINK}
<h1>${both({ id: 'Isi kehadiran', en: 'Check in' })}</h1>
${noticeBox(input.notice)}
<form method="post" action="/lti/meetings/check-in" id="tln-check-in" novalidate>
<input type="hidden" name="csrf" value="${e(input.csrf)}">
${field({
    id: 'code', label: { id: 'Kode dari fasilitator', en: 'Code from the facilitator' },
    hint: { id: `${CODE_LENGTH} huruf/angka, seperti di layar fasilitator.`, en: `${CODE_LENGTH} letters/digits, as on the facilitator's screen.` },
    ...(input.problem !== undefined && { error: input.problem }),
    control: (a) => `<input ${a} name="code" type="text" inputmode="text" autocapitalize="characters" autocomplete="off" spellcheck="false" maxlength="12" required class="tln-code-input" value="${e(input.code ?? '')}">`,
  })}
<button type="submit">${both({ id: 'Kirim', en: 'Send' })}</button>
</form>`)
}

import { CSRF_FIELD } from '../accounts/csrf.ts'
import { both, escapeHtml, signedInPage } from '../http/html.ts'
import { localTimeHtml } from '../http/local-time.ts'
import type { PassbackState } from './passback-state.ts'
import type { GradeFilter, PassbackView } from './scoped-passbacks.ts'

type Text = { readonly id: string; readonly en: string }

const STATE: Readonly<Record<PassbackState, Text & { help: Text }>> = {
  queued: { id: 'Antre', en: 'Queued', help: { id: 'Akan dikirim sebentar lagi.', en: 'Will be sent shortly.' } },
  retrying: { id: 'Dicoba ulang', en: 'Retrying', help: { id: 'LMS belum bisa dihubungi; TLN mencoba lagi otomatis dengan jeda yang makin panjang.', en: 'The LMS could not be reached; TLN tries again by itself, waiting longer each time.' } },
  failed: { id: 'Ditolak LMS', en: 'Refused by the LMS', help: { id: 'LMS menolak nilai ini (misalnya peserta tidak terdaftar lagi di kursus). Perbaiki di LMS, lalu tekan "Coba lagi sekarang".', en: 'The LMS refused this grade (for example the participant is no longer enrolled in the course). Fix it in the LMS, then press "Retry now".' } },
  dead: { id: 'Berhenti dicoba', en: 'Gave up', help: { id: 'TLN berhenti mencoba setelah banyak percobaan gagal. Tekan "Coba lagi sekarang" bila LMS sudah bisa dihubungi.', en: 'TLN stopped after many failed attempts. Press "Retry now" once the LMS can be reached.' } },
  sent: { id: 'Terkirim', en: 'Sent', help: { id: 'Nilai sudah ada di buku nilai LMS.', en: 'The grade is in the LMS gradebook.' } },
}

/**
 * A passback TLN itself stopped, before any request: its label says so instead of "Refused by the
 * LMS" (the platform registered itself on a private address; `ERR_LTI_PLATFORM_PRIVATE_ADDRESS`).
 */
const BLOCKED_BY_TLN: Text & { help: Text } = {
  id: 'Diblokir TLN', en: 'Blocked by TLN',
  help: {
    id: 'TLN tidak menghubungi LMS ini: alamatnya berada di jaringan privat dan LMS ini mendaftarkan dirinya sendiri. Minta operator TLN mengizinkannya (TLN_LTI_PLATFORM_ALLOW_PRIVATE), lalu tekan "Coba lagi sekarang".',
    en: 'TLN did not contact this LMS: its address is on a private network and the LMS registered itself. Ask a TLN operator to allow it (TLN_LTI_PLATFORM_ALLOW_PRIVATE), then press "Retry now".',
  },
}

const FILTERS: ReadonlyArray<readonly [GradeFilter, Text]> = [
  ['problems', { id: 'Bermasalah', en: 'Problems' }], ['sent', { id: 'Terkirim', en: 'Sent' }], ['all', { id: 'Semua', en: 'All' }],
]


/** `/lti/grades`: the grade passbacks of the facilitator's scope, problems first. */
export function gradesPage(input: { csrf: string; jobs: readonly PassbackView[]; filter: GradeFilter; scope: string; timeZone: string; done?: Text }): string {
  const tabs = FILTERS.map(([f, t]) => f === input.filter
    ? `<strong>${both(t)}</strong>`
    : `<a href="/lti/grades?show=${f}">${both(t)}</a>`).join(' · ')
  const done = input.done === undefined ? '' : `<div class="box ok" role="status" id="tln-done"><p>${escapeHtml(input.done.id)}</p><p lang="en">${escapeHtml(input.done.en)}</p></div>`
  const list = input.jobs.length === 0
    ? `<p id="tln-no-passbacks">${input.filter === 'problems' ? 'Tidak ada nilai yang bermasalah. <span lang="en">No grade has a problem.</span>' : 'Belum ada nilai. <span lang="en">No grades yet.</span>'}</p>`
    : `<ul class="queue" id="tln-passbacks">${input.jobs.map((j) => item(j, input.csrf, input.timeZone)).join('\n')}</ul>`
  return signedInPage('TLN — Nilai ke LMS', `
<h1>Nilai ke LMS</h1>
<p lang="en">Grades sent to the LMS gradebook</p>
<p>${both({ id: 'Wilayah', en: 'Scope' })}: <strong id="tln-scope">${escapeHtml(input.scope)}</strong></p>
${done}
<p>${tabs}</p>
${list}`)
}

function item(j: PassbackView, csrf: string, timeZone: string): string {
  const time = (d: Date) => localTimeHtml(d, timeZone)
  const blocked = j.lastError?.code === 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS'
  const s = blocked ? BLOCKED_BY_TLN : STATE[j.state]
  const who = j.learnerName ?? j.userSub
  const where = [j.schoolName, j.kecamatanName].filter((v) => v !== undefined).join(', ')
  const score = j.scoreGiven === undefined ? '—' : `${j.scoreGiven} / ${j.scoreMaximum}`
  const answer = j.lastError === undefined ? '' : `<p>${blocked ? both({ id: 'Alasan', en: 'Reason' }) : both({ id: 'Jawaban LMS', en: 'LMS answer' })}: <code class="lms-answer">${escapeHtml([j.lastError.status === undefined ? '' : `HTTP ${j.lastError.status}`, j.lastError.body ?? j.lastError.message].filter((v) => v !== '').join(' — '))}</code></p>`
  const next = j.state === 'retrying' || j.state === 'queued' ? `<p>${both({ id: 'Percobaan berikut', en: 'Next attempt' })}: ${time(j.nextAttemptAt)}</p>` : ''
  const retry = j.state === 'sent' ? '' : `<form method="post" action="/lti/grades/${j.id}/retry"><input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(csrf)}">
<button type="submit">${both({ id: 'Coba lagi sekarang', en: 'Retry now' })}</button></form>`
  return `<li class="passback state-${j.state}" data-passback="${j.id}" data-state="${j.state}">
<p><strong>${escapeHtml(who)}</strong>${where === '' ? '' : ` — ${escapeHtml(where)}`}</p>
<p>${both({ id: 'Nilai', en: 'Score' })}: ${escapeHtml(score)} · <strong>${both(s)}</strong> · ${j.attempts} ${both({ id: 'percobaan', en: 'attempts' })}</p>
${answer}${next}
<p><small>${escapeHtml(s.help.id)} <span lang="en">${escapeHtml(s.help.en)}</span></small></p>
<p><small>LMS: ${escapeHtml(j.issuer)} · ${time(j.timestamp)} · #${j.id}</small></p>
${retry}
</li>`
}

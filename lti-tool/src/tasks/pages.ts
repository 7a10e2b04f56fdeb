import { both, escapeHtml as e, signedInPage } from '../http/html.ts'
import { localTimeHtml } from '../http/local-time.ts'
import type { Assignment, SubmissionVersion } from './task-store.ts'
import { CHUNK_BYTES, acceptedTypesOf, maxBytesOf } from './task-service.ts'
import { EXTENSION } from './sniff.ts'
import { takesUrl, type AssignmentStatus, type Text } from './types.ts'

const STATUS: Readonly<Record<AssignmentStatus, Text>> = {
  not_submitted: { id: 'Belum dikumpulkan', en: 'Not submitted' },
  submitted: { id: 'Dikumpulkan, menunggu penilaian', en: 'Submitted, waiting for grading' },
  returned: { id: 'Dikembalikan untuk revisi', en: 'Returned for revision' },
  accepted: { id: 'Diterima', en: 'Accepted' },
}

const percent = (scaled: number) => `${Math.round(scaled * 10_000) / 100}`

function problemBox(problem: Text | undefined): string {
  return problem === undefined ? '' : `<div class="box error" role="alert" id="tln-problem"><p>${e(problem.id)}</p><p lang="en">${e(problem.en)}</p></div>`
}

function newWindowOffer(ticket: string | undefined): string {
  return ticket === undefined ? '' : `
<div id="tln-new-window" class="box" hidden>
<p>Peramban Anda tidak menyimpan sesi TLN di dalam bingkai LMS ini. Buka TLN di jendela baru untuk mengumpulkan tugas.</p>
<p lang="en">Your browser does not keep the TLN session inside this LMS frame. Open TLN in a new window to submit.</p>
<form method="post" action="/lti/continue" target="_blank"><input type="hidden" name="ticket" value="${e(ticket)}">
<button type="submit">${both({ id: 'Buka TLN di jendela baru', en: 'Open TLN in a new window' })}</button></form>
</div>`
}

function versionList(versions: readonly SubmissionVersion[], options: { staff: boolean; timeZone: string }): string {
  if (versions.length === 0) return ''
  const items = versions.map((v) => {
    const what = v.kind === 'url'
      ? `<a href="${e(v.url!)}" rel="noopener noreferrer" target="_blank">${e(v.url!)}</a>`
      : `<a href="/lti/tasks/submissions/${e(v.id)}/file">${e(v.fileName ?? 'berkas')}</a> <small>(${e(EXTENSION[v.mediaType as keyof typeof EXTENSION] ?? v.mediaType ?? '')}, ${Math.ceil((v.size ?? 0) / 1024)} KB)</small>`
    const grade = v.grade === undefined ? '' : `<br><small>${v.grade.decision === 'accepted' ? `${both({ id: 'Diterima', en: 'Accepted' })}${v.grade.scoreRaw !== undefined ? `: ${v.grade.scoreRaw}/100` : ''}` : both({ id: 'Dikembalikan', en: 'Returned' })}</small>${v.grade.feedback !== '' ? `<blockquote>${e(v.grade.feedback)}</blockquote>` : ''}`
    return `<li data-version="${v.version}">${both({ id: 'Versi', en: 'Version' })} ${v.version} — ${localTimeHtml(v.createdAt, options.timeZone)}<br>${what}${grade}</li>`
  }).join('\n')
  return `<h2>${both(options.staff ? { id: 'Versi kiriman', en: 'Submitted versions' } : { id: 'Kiriman Anda', en: 'Your submissions' })}</h2>\n<ol reversed class="versions">${items}</ol>`
}

/**
 * The teacher's task page (the launch of a task item): status, score, feedback, the submit form
 * (a file or photo in chunks by `/lti/static/task-upload.js`, a plain multipart form without
 * script; a URL for blog and article tasks) and the versions sent.
 */
export function teacherTaskPage(input: { assignment: Assignment; versions: readonly SubmissionVersion[]; csrf: string; timeZone: string; ticket?: string; problem?: Text; notice?: Text }): string {
  const { assignment: a, versions } = input
  const status = STATUS[a.status]
  const score = a.status === 'accepted' && a.scoreScaled !== undefined ? `<p>${both({ id: 'Nilai', en: 'Score' })}: <strong id="tln-score">${percent(a.scoreScaled)}</strong> / 100</p>` : ''
  const canSubmit = a.status !== 'accepted' && a.status !== 'submitted'
  const again = a.status === 'submitted' ? `<p>Kiriman Anda sedang dinilai. <span lang="en">Your submission is being graded.</span></p>` : ''
  const accepted = acceptedTypesOf(a.task)
  const types = accepted.map((t) => EXTENSION[t].toUpperCase()).join(', ')
  const maxMb = String(Math.round((maxBytesOf(a.task) / 1024 / 1024) * 10) / 10)
  const form = !canSubmit ? '' : takesUrl(a.task.taskType) ? `
<form method="post" action="/lti/tasks/${e(a.id)}/url">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<p><label for="tln-url">${both({ id: 'Alamat artikel atau blog', en: 'Article or blog address' })}</label><br>
<input type="url" id="tln-url" name="url" required maxlength="2000" placeholder="https://" inputmode="url" autocomplete="url"></p>
<button type="submit">${both({ id: 'Kumpulkan', en: 'Submit' })}</button>
</form>` : `
<form id="tln-upload" method="post" action="/lti/tasks/${e(a.id)}/file" enctype="multipart/form-data" data-assignment="${e(a.id)}" data-chunk="${CHUNK_BYTES}" data-max="${maxBytesOf(a.task)}">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<p><label for="tln-file">${both(a.task.taskType === 'MEDIA' ? { id: 'Foto media pembelajaran', en: 'Photo of the learning media' } : { id: 'Berkas atau foto dokumen', en: 'File or photo of the document' })}</label><br>
<input type="file" id="tln-file" name="file" required accept="${e(accepted.flatMap((t) => [`.${EXTENSION[t]}`, t]).join(','))}" aria-describedby="tln-file-help"></p>
<p id="tln-file-help"><small>${e(types)}; ${both({ id: `paling besar ${maxMb.replace('.', ',')} MB`, en: `at most ${maxMb} MB` })}</small></p>
<progress id="tln-progress" max="100" value="0" hidden aria-label="Kemajuan unggahan / Upload progress"></progress>
<p id="tln-upload-status" role="status" aria-live="polite"></p>
<button type="submit">${both({ id: 'Unggah dan kumpulkan', en: 'Upload and submit' })}</button>
</form>`
  const latest = versions[0]
  const feedback = a.status === 'returned' && latest?.grade !== undefined && latest.grade.feedback !== ''
    ? `<div class="box"><p><strong>${both({ id: 'Catatan fasilitator', en: 'Facilitator’s feedback' })}:</strong></p><blockquote id="tln-feedback">${e(latest.grade.feedback)}</blockquote></div>` : ''
  const notice = input.notice === undefined ? '' : `<div class="box ok" role="status"><p>${e(input.notice.id)}</p><p lang="en">${e(input.notice.en)}</p></div>`
  return signedInPage(`TLN — ${a.task.title.id}`, `
<h1 id="tln-task" data-item="${e(a.task.key)}" data-assignment="${e(a.id)}">${e(a.task.title.id)}</h1>
<p lang="en">${e(a.task.title.en)}</p>
<p><small>${both({ id: 'Masuk sebagai', en: 'Signed in as' })} ${e(a.teacher.name ?? a.teacher.email ?? a.teacher.sub)}</small></p>
<p>${e(a.task.description.id)} <span lang="en">${e(a.task.description.en)}</span></p>
${a.task.dueAt !== undefined ? `<p>${both({ id: 'Batas waktu', en: 'Due' })}: ${localTimeHtml(a.task.dueAt, input.timeZone)}</p>` : ''}
${notice}${problemBox(input.problem)}
<p>Status: <strong id="tln-status" data-status="${a.status}">${both(status)}</strong></p>
${score}${feedback}${again}${form}
${versionList(versions, { staff: false, timeZone: input.timeZone })}
${newWindowOffer(input.ticket)}`, { scripts: [...(canSubmit && !takesUrl(a.task.taskType) ? ['/lti/static/task-upload.js'] : []), ...(input.ticket !== undefined ? ['/lti/static/session-check.js'] : [])] })
}

/**
 * The facilitator's queue: submissions of the teachers of their TLN group (kecamatan) waiting,
 * oldest first. `unplaced`: an LMS instructor without a grant on any group yet.
 */
export function gradingQueuePage(items: readonly Assignment[], options: { timeZone: string; unplaced?: boolean }): string {
  const rows = options.unplaced === true
    ? '<p id="tln-queue-unplaced">Anda belum ditempatkan di kelompok TLN (kecamatan), jadi belum ada kiriman untuk Anda nilai. Minta koordinator atau admin memberi hak fasilitator. <span lang="en">You are not placed in a TLN group (kecamatan) yet, so there is nothing for you to grade. Ask a coordinator or admin for a facilitator grant.</span></p>'
    : items.length === 0
    ? '<p id="tln-queue-empty">Tidak ada kiriman yang menunggu penilaian. <span lang="en">No submissions are waiting.</span></p>'
    : `<ul class="queue">${items.map((a) => `<li><a href="/lti/grading/${e(a.id)}">${e(a.teacher.name ?? a.teacher.email ?? a.teacher.sub)} — ${e(a.task.title.id)}</a><br><small>${e(a.contextTitle ?? '')} · ${localTimeHtml(a.updatedAt, options.timeZone)}</small></li>`).join('\n')}</ul>`
  return signedInPage('TLN — Antrean penilaian', `
<h1>${both({ id: 'Antrean penilaian', en: 'Grading queue' })}</h1>
${rows}`)
}

/** One submission to grade: the versions, the rubric (a level per criterion), feedback, accept or return. */
export function gradingPage(input: { assignment: Assignment; versions: readonly SubmissionVersion[]; csrf: string; timeZone: string; problem?: Text; chosen?: Readonly<Record<string, number>>; feedback?: string }): string {
  const { assignment: a, versions } = input
  const latest = versions[0]
  const form = a.status !== 'submitted' || latest === undefined || latest.grade !== undefined ? `<p>Status: <strong id="tln-status" data-status="${a.status}">${both(STATUS[a.status])}</strong></p>` : `
<form method="post" action="/lti/grading/${e(a.id)}">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<input type="hidden" name="submission" value="${e(latest.id)}">
${a.task.rubric.criteria.map((c) => `<fieldset>
<legend>${both(c.title)} <small>(${e(c.indicator)}, ${both({ id: 'bobot', en: 'weight' })} ${c.weight})</small></legend>
${c.levels.map((l) => { const id = `lvl-${c.code}-${l.points}`; return `<div><input type="radio" id="${e(id)}" name="level.${e(c.code)}" value="${l.points}"${input.chosen?.[c.code] === l.points ? ' checked' : ''}> <label for="${e(id)}">${l.points} — ${both(l.label)}</label></div>` }).join('\n')}
</fieldset>`).join('\n')}
<p><label for="tln-feedback">${both({ id: 'Catatan untuk guru', en: 'Feedback for the teacher' })}</label><br>
<textarea id="tln-feedback" name="feedback" rows="5" maxlength="4000">${e(input.feedback ?? '')}</textarea></p>
<p><small>${both({ id: 'Lulus mulai', en: 'Passes from' })} ${percent(a.task.passThreshold)} / 100 · ${both({ id: 'rubrik versi', en: 'rubric version' })} ${a.task.rubricVersion}</small></p>
<button type="submit" name="decision" value="accepted">${both({ id: 'Terima dan beri nilai', en: 'Accept and grade' })}</button>
<button type="submit" name="decision" value="returned" class="secondary">${both({ id: 'Kembalikan untuk revisi', en: 'Return for revision' })}</button>
</form>`
  return signedInPage(`TLN — Penilaian ${a.task.title.id}`, `
<p><a href="/lti/grading">← ${both({ id: 'Antrean penilaian', en: 'Grading queue' })}</a></p>
<h1>${e(a.task.title.id)}</h1>
<p>${both({ id: 'Guru', en: 'Teacher' })}: <strong>${e(a.teacher.name ?? a.teacher.email ?? a.teacher.sub)}</strong>${a.contextTitle !== undefined ? ` · ${e(a.contextTitle)}` : ''}</p>
${problemBox(input.problem)}
${versionList(versions, { staff: true, timeZone: input.timeZone })}
${form}`)
}

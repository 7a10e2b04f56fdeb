import { both, escapeHtml as e, signedInPage } from '../http/html.ts'
import { localTimeHtml } from '../http/local-time.ts'
import type { Person } from '../org/org-types.ts'
import { CHUNK_BYTES } from '../uploads/chunked-uploads.ts'
import { MAX_EVIDENCE_BYTES } from './evidence.ts'
import type { ChainLink } from './mentoring-store.ts'
import { fieldError, notice, problemList, sessionSummary, status, TOPIC, windowText } from './page-parts.ts'
import { MAX_MINUTES, MIN_MINUTES } from './rules.ts'
import type { FieldProblem, MentoringSession, PersonRef, Relation, Text } from './types.ts'

/**
 * The teacher's and the verifier's mentoring pages: server-rendered, Bahasa Indonesia first, no
 * inline script (the session form's resumable upload with its progress bar is `/lti/static/mentoring-upload.js`), every input
 * labelled, every bad field named under it.
 */

const FORM_SCRIPT = '/lti/static/mentoring-upload.js'
type Form = Readonly<Record<string, unknown>>
const val = (form: Form | undefined, key: string) => e(typeof form?.[key] === 'string' ? (form[key] as string) : '')

function evidenceLink(s: MentoringSession): string {
  return s.evidence === undefined ? '' : ` · <a href="/lti/mentoring/sessions/${e(s.id)}/evidence">${both({ id: 'Bukti', en: 'Evidence' })}</a>`
}

function sessionItem(s: MentoringSession, share: boolean): string {
  const link = share && s.status === 'waiting' ? `<br><a href="/lti/mentoring/sessions/${e(s.id)}/share" class="share">${both({ id: 'Bagikan tautan konfirmasi', en: 'Share the confirmation link' })}</a>` : ''
  const notes = [s.menteeNote !== '' ? `<br><small>${both({ id: 'Catatan rekan', en: 'Colleague’s note' })}: ${e(s.menteeNote)}</small>` : '', s.verificationNote !== '' ? `<br><small>${both({ id: 'Catatan verifikator', en: 'Verifier’s note' })}: ${e(s.verificationNote)}</small>` : ''].join('')
  return `<li data-session="${e(s.id)}">${sessionSummary(s)}${evidenceLink(s)}<br>${status(s)}${notes}${link}</li>`
}

/** The teacher's mentoring page: colleagues mentored (with their sessions), add a colleague, sessions to confirm as a mentee. */
export function mentoringHomePage(input: {
  me?: { name: string; school?: string }
  relations: ReadonlyArray<{ relation: Relation; sessions: readonly MentoringSession[] }>
  colleagues?: readonly Person[]
  toAnswer: ReadonlyArray<{ relation: Relation; session: MentoringSession }>
  windowDays: number
  today: string
  csrf: string
  canVerify: boolean
  problems?: readonly FieldProblem[]
  form?: Form
  notice?: Text
}): string {
  const problems = input.problems ?? []
  const relations = input.relations.length === 0
    ? `<p id="tln-no-relations">${both({ id: 'Belum ada rekan yang Anda dampingi.', en: 'You have not recorded a colleague yet.' })}</p>`
    : `<ul class="queue" id="tln-relations">${input.relations.map(({ relation: r, sessions }) => `<li data-relation="${e(r.id)}">
<a href="/lti/mentoring/relations/${e(r.id)}"><strong>${e(r.mentee.name)}</strong></a> · ${sessions.length} ${both({ id: 'sesi', en: 'sessions' })}<br><small>${windowText(r)}</small>
${sessions.length === 0 ? '' : `<ol class="versions">${sessions.map((s) => sessionItem(s, true)).join('')}</ol>`}</li>`).join('\n')}</ul>`
  const menteeErr = fieldError(problems, 'mentee')
  const nameErr = fieldError(problems, 'name')
  const phoneErr = fieldError(problems, 'phone')
  const emailErr = fieldError(problems, 'email')
  const startErr = fieldError(problems, 'start')
  const addForm = input.colleagues === undefined ? `<div class="box"><p>${both({ id: 'Akun Anda belum terhubung dengan data guru di sebuah sekolah, jadi belum dapat mencatat pendampingan. Hubungi admin TLN.', en: 'Your account is not linked to a teacher record at a school yet, so you cannot log mentoring. Contact your TLN admin.' })}</p></div>` : `
<h2 id="add">${both({ id: 'Tambah rekan yang didampingi', en: 'Add a colleague you mentor' })}</h2>
<form method="post" action="/lti/mentoring/relations" id="tln-add-mentee">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<p><label for="f-mentee">${both({ id: 'Rekan di sekolah Anda', en: 'Colleague at your school' })}</label><br>
<select id="f-mentee" name="mentee"${menteeErr.attrs}><option value="new">— rekan baru / new —</option>
${input.colleagues.map((p) => `<option value="${e(p.id)}"${input.form?.mentee === p.id ? ' selected' : ''}>${e(p.name)}</option>`).join('')}</select>${menteeErr.html}</p>
<fieldset><legend>${both({ id: 'Rekan baru (belum ada di daftar)', en: 'New colleague (not in the list)' })}</legend>
<p><label for="f-name">${both({ id: 'Nama', en: 'Name' })}</label><br><input id="f-name" name="name" maxlength="120" autocomplete="off" value="${val(input.form, 'name')}"${nameErr.attrs}>${nameErr.html}</p>
<p><label for="f-phone">${both({ id: 'Nomor HP (boleh kosong)', en: 'Phone (optional)' })}</label><br><input id="f-phone" name="phone" type="tel" inputmode="tel" maxlength="20" value="${val(input.form, 'phone')}"${phoneErr.attrs}>${phoneErr.html}</p>
<p><label for="f-email">${both({ id: 'Email (boleh kosong)', en: 'E-mail (optional)' })}</label><br><input id="f-email" name="email" type="email" maxlength="200" value="${val(input.form, 'email')}"${emailErr.attrs}>${emailErr.html}</p>
</fieldset>
<p><label for="f-start">${both({ id: 'Mulai pendampingan', en: 'Mentoring starts' })}</label><br><input id="f-start" name="start" type="date" max="${e(input.today)}" value="${val(input.form, 'start') || e(input.today)}"${startErr.attrs}>${startErr.html}<br>
<small>${both({ id: `Tantangan berlangsung ${input.windowDays} hari sejak tanggal ini.`, en: `The challenge lasts ${input.windowDays} days from this date.` })}</small></p>
<button type="submit">${both({ id: 'Simpan rekan', en: 'Save colleague' })}</button>
</form>`
  const answer = input.toAnswer.length === 0 ? '' : `
<h2 id="to-confirm">${both({ id: 'Sesi yang perlu Anda konfirmasi', en: 'Sessions waiting for your confirmation' })}</h2>
<ul class="queue">${input.toAnswer.map(({ relation: r, session: s }) => `<li data-session="${e(s.id)}">${both({ id: 'Pendamping', en: 'Mentor' })}: <strong>${e(r.mentor.name)}</strong><br>${sessionSummary(s)}
<form method="post" action="/lti/mentoring/sessions/${e(s.id)}/answer"><input type="hidden" name="csrf" value="${e(input.csrf)}">
<p><label for="note-${e(s.id)}">${both({ id: 'Catatan (wajib bila menyanggah)', en: 'Note (required to dispute)' })}</label><br><textarea id="note-${e(s.id)}" name="note" rows="2" maxlength="2000"></textarea></p>
<button type="submit" name="decision" value="confirm">${both({ id: 'Benar, konfirmasi', en: 'Yes, confirm' })}</button>
<button type="submit" name="decision" value="dispute" class="secondary">${both({ id: 'Tidak benar, sanggah', en: 'No, dispute' })}</button></form></li>`).join('\n')}</ul>`
  // A facilitator or coordinator who teaches at no school has nobody to mentor here: their part is
  // verifying, so the page leads with the queue instead of a teacher's form and a warning.
  const verifierOnly = input.canVerify && input.colleagues === undefined && input.relations.length === 0
  if (verifierOnly) {
    return signedInPage('TLN — Pendampingan sejawat', `
<h1 id="tln-mentoring">${both({ id: 'Pendampingan sejawat', en: 'Peer mentoring' })}</h1>
${input.me !== undefined ? `<p><small>${e(input.me.name)}</small></p>` : ''}
<p>${both({ id: 'Sebagai fasilitator, Anda memverifikasi sesi pendampingan yang dicatat guru di kelompok TLN Anda.', en: 'As a facilitator, you verify the mentoring sessions the teachers of your TLN group record.' })}</p>
${notice(input.notice)}${problemList(problems)}
<p><a href="/lti/mentoring/verify" id="tln-verify-link" class="button">${both({ id: 'Antrean verifikasi', en: 'Verification queue' })}</a></p>
${answer}`)
  }
  return signedInPage('TLN — Pendampingan sejawat', `
<h1 id="tln-mentoring">${both({ id: 'Pendampingan sejawat', en: 'Peer mentoring' })}</h1>
${input.me !== undefined ? `<p><small>${e(input.me.name)}${input.me.school !== undefined ? ` · ${e(input.me.school)}` : ''}</small></p>` : ''}
<p>${both({ id: 'Catat rekan di sekolah Anda yang Anda dampingi menyusun perangkat pembelajaran, lalu setiap sesi pendampingan.', en: 'Record the colleagues at your school you mentor on lesson plans, then each mentoring session.' })}</p>
${notice(input.notice)}${problemList(problems)}
<p><a href="/lti/mentoring/chain" id="tln-chain-link">${both({ id: 'Rantai pendampingan saya', en: 'My mentoring chain' })}</a>${input.canVerify ? ` · <a href="/lti/mentoring/verify" id="tln-verify-link">${both({ id: 'Antrean verifikasi', en: 'Verification queue' })}</a>` : ''}</p>
${answer}
<h2>${both({ id: 'Rekan yang saya dampingi', en: 'Colleagues I mentor' })}</h2>
${relations}
${addForm}`)
}

/** One relation: its window, the session form (with evidence upload and progress bar), its sessions. */
export function relationPage(input: { relation: Relation; sessions: readonly MentoringSession[]; csrf: string; today: string; problems?: readonly FieldProblem[]; form?: Form }): string {
  const { relation: r } = input
  const problems = input.problems ?? []
  const err = (field: string) => fieldError(problems, field)
  const [date, duration, topic, topicText, notes, file] = ['date', 'duration', 'topic', 'topicText', 'notes', 'file'].map(err) as [ReturnType<typeof err>, ReturnType<typeof err>, ReturnType<typeof err>, ReturnType<typeof err>, ReturnType<typeof err>, ReturnType<typeof err>]
  const chosen = typeof input.form?.topic === 'string' ? input.form.topic : ''
  return signedInPage(`TLN — ${r.mentee.name}`, `
<p><a href="/lti/mentoring">← ${both({ id: 'Pendampingan sejawat', en: 'Peer mentoring' })}</a></p>
<h1 id="tln-relation" data-relation="${e(r.id)}">${e(r.mentee.name)}</h1>
<p><small>${e(r.school.name)} · ${windowText(r)}</small></p>
${problemList(problems)}
<h2>${both({ id: 'Catat sesi pendampingan', en: 'Log a mentoring session' })}</h2>
<form method="post" action="/lti/mentoring/relations/${e(r.id)}/sessions" enctype="multipart/form-data" id="tln-session-form" data-max="${MAX_EVIDENCE_BYTES}" data-chunk="${CHUNK_BYTES}" data-relation="${e(r.id)}">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<input type="hidden" name="upload" value="${file.html === '' ? val(input.form, 'upload') : ''}">
<p><label for="f-date">${both({ id: 'Tanggal sesi', en: 'Date of the session' })}</label><br><input id="f-date" name="date" type="date" required min="${e(r.windowStart)}" max="${e(input.today)}" value="${val(input.form, 'date') || e(input.today)}"${date.attrs}>${date.html}</p>
<p><label for="f-duration">${both({ id: 'Lama (menit)', en: 'Length (minutes)' })}</label><br><input id="f-duration" name="duration" type="number" inputmode="numeric" required min="${MIN_MINUTES}" max="${MAX_MINUTES}" step="1" value="${val(input.form, 'duration')}"${duration.attrs}>${duration.html}</p>
<p><label for="f-topic">${both({ id: 'Topik', en: 'Topic' })}</label><br><select id="f-topic" name="topic"${topic.attrs}>
${Object.keys(TOPIC).map((k) => `<option value="${k}"${chosen === k ? ' selected' : ''}>${k === 'PROTA' ? 'Prota' : k === 'PROMES' ? 'Promes' : k}</option>`).join('')}
<option value="OTHER"${chosen === 'OTHER' ? ' selected' : ''}>Lain / Other</option></select>${topic.html}</p>
<p><label for="f-topicText">${both({ id: 'Topik lain atau rincian (boleh kosong bila memilih perangkat)', en: 'Other topic or details (optional for a lesson-plan topic)' })}</label><br><input id="f-topicText" name="topicText" maxlength="200" value="${val(input.form, 'topicText')}"${topicText.attrs}>${topicText.html}</p>
<p><label for="f-notes">${both({ id: 'Catatan', en: 'Notes' })}</label><br><textarea id="f-notes" name="notes" rows="3" maxlength="2000"${notes.attrs}>${val(input.form, 'notes')}</textarea>${notes.html}</p>
<p><label for="f-file">${both({ id: 'Foto atau PDF bukti (boleh kosong)', en: 'Photo or PDF evidence (optional)' })}</label><br><input id="f-file" name="file" type="file" accept="image/jpeg,image/png,image/webp,application/pdf" aria-describedby="f-file-help"${file.attrs}>${file.html}<br>
<small id="f-file-help">${both({ id: 'JPEG, PNG, WebP atau PDF; paling besar 10 MB', en: 'JPEG, PNG, WebP or PDF; at most 10 MB' })}</small></p>
<progress id="tln-progress" max="100" value="0" hidden aria-label="Kemajuan unggahan / Upload progress"></progress>
<p id="tln-upload-status" role="status" aria-live="polite"></p>
<button type="submit">${both({ id: 'Simpan sesi', en: 'Save session' })}</button>
</form>
<h2>${both({ id: 'Sesi', en: 'Sessions' })}</h2>
${input.sessions.length === 0 ? `<p>${both({ id: 'Belum ada sesi.', en: 'No sessions yet.' })}</p>` : `<ol class="versions" id="tln-sessions">${input.sessions.map((s) => sessionItem(s, true)).join('')}</ol>`}`, { scripts: [FORM_SCRIPT] })
}

/** The confirmation link of a waiting session, to send to the mentee (WhatsApp or copied). */
export function sharePage(input: { relation: Relation; session: MentoringSession; link?: string; expiresAt?: Date; csrf: string; timeZone: string; logged?: boolean }): string {
  const { relation: r, session: s } = input
  const message = input.link === undefined ? '' : `Assalamualaikum ${r.mentee.name}, mohon konfirmasi sesi pendampingan TLN tanggal ${s.date} (${s.durationMinutes} menit): ${input.link}`
  const body = input.link === undefined
    ? `<p>${status(s)}</p><p>${both({ id: 'Sesi ini tidak lagi menunggu konfirmasi.', en: 'This session no longer waits for confirmation.' })}</p>`
    : `<p>${both({ id: 'Kirim tautan ini kepada rekan Anda. Rekan dapat membukanya tanpa akun, satu kali.', en: 'Send this link to your colleague. They can open it without an account, once.' })}</p>
<p><label for="tln-link">${both({ id: 'Tautan konfirmasi', en: 'Confirmation link' })}</label><br><input id="tln-link" readonly value="${e(input.link)}" size="40"></p>
<p><a href="https://wa.me/?text=${encodeURIComponent(message)}" id="tln-whatsapp" rel="noopener" target="_blank">${both({ id: 'Kirim lewat WhatsApp', en: 'Send by WhatsApp' })}</a></p>
${input.expiresAt !== undefined ? `<p><small>${both({ id: 'Berlaku sampai', en: 'Valid until' })} ${localTimeHtml(input.expiresAt, input.timeZone)}</small></p>` : ''}
<form method="post" action="/lti/mentoring/sessions/${e(s.id)}/link"><input type="hidden" name="csrf" value="${e(input.csrf)}"><button type="submit" class="secondary">${both({ id: 'Buat tautan baru', en: 'Make a new link' })}</button></form>`
  return signedInPage('TLN — Tautan konfirmasi', `
<p><a href="/lti/mentoring/relations/${e(r.id)}">← ${e(r.mentee.name)}</a></p>
<h1>${both({ id: 'Konfirmasi dari rekan', en: 'Confirmation by the colleague' })}</h1>
${notice(input.logged === true ? { id: 'Sesi tersimpan.', en: 'Session saved.' } : undefined)}
<p>${sessionSummary(s)}</p>
${body}`)
}

/** The verifier's queue: open sessions at the schools their grants cover, each with verify / reject and a note. */
export function verifyQueuePage(input: { items: ReadonlyArray<{ relation: Relation; session: MentoringSession }>; csrf: string; problems?: readonly FieldProblem[]; problemSession?: string; notice?: Text; windowDays?: number }): string {
  const windowErr = fieldError(input.problems ?? [], 'windowDays')
  const settings = input.windowDays === undefined ? '' : `
<h2>${both({ id: 'Pengaturan tantangan', en: 'Challenge settings' })}</h2>
<form method="post" action="/lti/mentoring/settings" id="tln-window-form"><input type="hidden" name="csrf" value="${e(input.csrf)}">
<p><label for="f-windowDays">${both({ id: 'Lama tantangan (hari) untuk rekan yang baru dicatat', en: 'Challenge length (days) for colleagues recorded from now on' })}</label><br>
<input id="f-windowDays" name="windowDays" type="number" inputmode="numeric" min="1" max="365" required value="${input.windowDays}"${windowErr.attrs}>${windowErr.html}</p>
<button type="submit">${both({ id: 'Simpan', en: 'Save' })}</button></form>`
  const rows = input.items.length === 0
    ? `<p id="tln-queue-empty">${both({ id: 'Tidak ada sesi yang menunggu verifikasi.', en: 'No sessions are waiting for verification.' })}</p>`
    : `<ul class="queue" id="tln-verify-queue">${input.items.map(({ relation: r, session: s }) => {
      const err = s.id === input.problemSession ? fieldError(input.problems ?? [], 'note') : { attrs: '', html: '' }
      return `<li data-session="${e(s.id)}"><strong>${e(r.mentor.name)}</strong> → <strong>${e(r.mentee.name)}</strong> · ${e(r.school.name)}<br>${sessionSummary(s)}${evidenceLink(s)}<br>${status(s)}
${s.notes !== '' ? `<br><small>${both({ id: 'Catatan pendamping', en: 'Mentor’s notes' })}: ${e(s.notes)}</small>` : ''}${s.menteeNote !== '' ? `<br><small>${both({ id: 'Catatan rekan', en: 'Colleague’s note' })}: ${e(s.menteeNote)}</small>` : ''}
<form method="post" action="/lti/mentoring/sessions/${e(s.id)}/verify"><input type="hidden" name="csrf" value="${e(input.csrf)}">
<p><label for="f-note-${e(s.id)}">${both({ id: 'Catatan (wajib bila menolak)', en: 'Note (required to reject)' })}</label><br><textarea id="f-note-${e(s.id)}" name="note" rows="2" maxlength="2000"${err.attrs}></textarea>${err.html}</p>
<button type="submit" name="decision" value="verify">${both({ id: 'Verifikasi', en: 'Verify' })}</button>
<button type="submit" name="decision" value="reject" class="secondary">${both({ id: 'Tolak', en: 'Reject' })}</button></form></li>`
    }).join('\n')}</ul>`
  return signedInPage('TLN — Verifikasi pendampingan', `
<p><a href="/lti/mentoring">← ${both({ id: 'Pendampingan sejawat', en: 'Peer mentoring' })}</a></p>
<h1 id="tln-verify" data-csrf="${e(input.csrf)}">${both({ id: 'Verifikasi pendampingan', en: 'Mentoring verification' })}</h1>
${notice(input.notice)}${problemList(input.problems ?? [])}
${rows}${settings}`)
}

/** A teacher's chain: who mentored them, and the tree of their mentees with its depth. */
export function chainPage(input: { person: PersonRef; links: readonly ChainLink[]; depth: number; mentoredBy: readonly PersonRef[] }): string {
  const children = (mentorId: string, depth: number): string => {
    const mine = input.links.filter((l) => l.mentorId === mentorId && l.depth === depth)
    return mine.length === 0 ? '' : `<ul>${mine.map((l) => `<li data-person="${e(l.menteeId)}" data-depth="${l.depth}">${e(l.menteeName)} <small>(${l.sessions} ${both({ id: 'sesi', en: 'sessions' })})</small>${children(l.menteeId, depth + 1)}</li>`).join('')}</ul>`
  }
  return signedInPage('TLN — Rantai pendampingan', `
<p><a href="/lti/mentoring">← ${both({ id: 'Pendampingan sejawat', en: 'Peer mentoring' })}</a></p>
<h1>${both({ id: 'Rantai pendampingan', en: 'Mentoring chain' })}: ${e(input.person.name)}</h1>
${input.mentoredBy.length === 0 ? '' : `<p>${both({ id: 'Didampingi oleh', en: 'Mentored by' })}: ${input.mentoredBy.map((p) => e(p.name)).join(', ')}</p>`}
<p>${both({ id: 'Kedalaman rantai', en: 'Chain depth' })}: <strong id="tln-chain-depth">${input.depth}</strong> · ${both({ id: 'orang terjangkau', en: 'people reached' })}: <strong id="tln-chain-reach">${new Set(input.links.map((l) => l.menteeId)).size}</strong></p>
<div id="tln-chain"><strong>${e(input.person.name)}</strong>${children(input.person.id, 1) || `<p>${both({ id: 'Belum ada rekan yang didampingi.', en: 'No mentees yet.' })}</p>`}</div>`)
}

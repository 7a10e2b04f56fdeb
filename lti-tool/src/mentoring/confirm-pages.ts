import { both, escapeHtml as e, page } from '../http/html.ts'
import { fieldError, problemList, sessionSummary, status } from './page-parts.ts'
import type { FieldProblem, MentoringSession, Relation } from './types.ts'

/**
 * The page a mentee opens from the link the mentor shared (WhatsApp): no account, no script. The
 * link itself is the credential, so the form posts back to it; it shows the mentor's name, the
 * date, the length and the topic, never the mentor's notes or the evidence.
 */
export function confirmPage(input: { token: string; relation: Relation; session: MentoringSession; problems?: readonly FieldProblem[]; note?: string }): string {
  const { relation: r, session: s } = input
  const note = fieldError(input.problems ?? [], 'note')
  return page('TLN — Konfirmasi pendampingan', `
<h1>${both({ id: 'Konfirmasi sesi pendampingan', en: 'Confirm a mentoring session' })}</h1>
<p>${both({ id: `Halo ${r.mentee.name}. ${r.mentor.name} mencatat bahwa ia mendampingi Anda:`, en: `Hello ${r.mentee.name}. ${r.mentor.name} recorded mentoring you:` })}</p>
<p id="tln-confirm-session">${sessionSummary(s)}<br><small>${e(r.school.name)}</small></p>
${problemList(input.problems ?? [])}
<form method="post" action="/lti/mentoring/confirm/${e(input.token)}">
<p><label for="f-note">${both({ id: 'Catatan (wajib bila tidak benar)', en: 'Note (required if it is not right)' })}</label><br>
<textarea id="f-note" name="note" rows="3" maxlength="2000"${note.attrs}>${e(input.note ?? '')}</textarea>${note.html}</p>
<button type="submit" name="decision" value="confirm" id="tln-confirm">${both({ id: 'Benar, saya konfirmasi', en: 'Yes, I confirm' })}</button>
<button type="submit" name="decision" value="dispute" class="secondary" id="tln-dispute">${both({ id: 'Tidak benar', en: 'Not right' })}</button>
</form>
<p><small>${both({ id: 'Tautan ini hanya dapat dipakai satu kali.', en: 'This link works once.' })}</small></p>`)
}

/** After the answer. */
export function confirmDonePage(session: MentoringSession): string {
  return page('TLN — Terima kasih', `
<h1 id="tln-confirm-done">${both({ id: 'Terima kasih!', en: 'Thank you!' })}</h1>
<p>${sessionSummary(session)}</p>
<p>${status(session)}</p>`)
}

/** An unknown, used or expired link: says so and what to do, without telling which. */
export function confirmGonePage(): string {
  return page('TLN — Tautan tidak berlaku', `
<div class="box error" role="alert" id="tln-confirm-gone">
<h1>${both({ id: 'Tautan tidak berlaku', en: 'This link does not work' })}</h1>
<p>${both({ id: 'Tautan ini sudah dipakai, sudah kedaluwarsa, atau salah. Minta rekan pendamping Anda mengirim tautan baru.', en: 'This link was used already, has expired, or is wrong. Ask your mentor to send a new one.' })}</p>
</div>`)
}

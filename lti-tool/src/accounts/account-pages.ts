import type { Response } from 'express'
import { both, endSentence, escapeHtml, page } from '../http/html.ts'
import type { GrantRole } from '../org/org-types.ts'
import { CSRF_FIELD } from './csrf.ts'
import { PASSWORD_MIN } from './password.ts'

type Message = { readonly id: string; readonly en: string }

export const ROLE_LABELS: Readonly<Record<GrantRole, Message>> = {
  teacher: { id: 'Guru', en: 'Teacher' },
  facilitator: { id: 'Fasilitator', en: 'Facilitator' },
  coordinator: { id: 'Koordinator TLN', en: 'TLN coordinator' },
  monitor: { id: 'Pemantau', en: 'Monitor' },
  'district-admin': { id: 'Admin Dinas Pendidikan kabupaten', en: 'District admin' },
  bppaud: { id: 'Staf BPPAUD', en: 'BPPAUD staff' },
  admin: { id: 'Administrator TLN', en: 'TLN administrator' },
}

/**
 * Headers of the account pages: top-level pages that must never be framed (a framed login form
 * invites clickjacking), styles from this origin only, no script at all, forms to this origin
 * only, and no referrer (an invitation link's token stays out of other sites' logs).
 */
export function accountPageHeaders(res: Response): void {
  res.set('Content-Security-Policy', "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
  res.set('X-Frame-Options', 'DENY')
  res.set('Cache-Control', 'no-store')
  res.set('Referrer-Policy', 'no-referrer')
  res.set('X-Content-Type-Options', 'nosniff')
}

function problemBox(problem: Message | undefined): string {
  return problem === undefined ? '' : `
<div class="box error" role="alert" id="tln-problem">
<p>${escapeHtml(problem.id)}</p>
<p lang="en">${escapeHtml(problem.en)}</p>
</div>`
}

const csrfInput = (token: string) => `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`

/** `/login`: e-mail and password, for people without an LMS account. */
export function loginPage(input: { csrf: string; email?: string; problem?: Message }): string {
  return page('TLN — Masuk', `
<h1>Masuk ke TLN</h1>
<p lang="en">Sign in to TLN</p>
<p>Halaman ini untuk admin Dinas Pendidikan, staf BPPAUD dan pemantau yang punya akun TLN. Guru dan fasilitator membuka TLN dari LMS.</p>
<p lang="en">For district admins, BPPAUD staff and monitors with a TLN account. Teachers and facilitators open TLN from their LMS.</p>${problemBox(input.problem)}
<form method="post" action="/login">
${csrfInput(input.csrf)}
<p><label for="email">${both({ id: 'Email', en: 'E-mail' })}</label><br>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="200" value="${escapeHtml(input.email ?? '')}"></p>
<p><label for="password">${both({ id: 'Kata sandi', en: 'Password' })}</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"></p>
<p><button type="submit">${both({ id: 'Masuk', en: 'Sign in' })}</button></p>
</form>
<p>Lupa kata sandi? Minta administrator TLN mengirim tautan undangan baru. <span lang="en">Forgot your password? Ask a TLN administrator for a new invitation link.</span></p>`)
}

/** `/invite/<token>`: choose a password. */
export function invitePage(input: { csrf: string; token: string; name: string; email: string; problem?: Message }): string {
  return page('TLN — Buat kata sandi', `
<h1>Selamat datang, ${escapeHtml(input.name)}</h1>
<p>Buat kata sandi untuk akun TLN <strong>${escapeHtml(input.email)}</strong>. Tautan ini hanya bisa dipakai sekali.</p>
<p lang="en">Choose a password for the TLN account above. This link works once.</p>${problemBox(input.problem)}
<form method="post" action="/invite">
${csrfInput(input.csrf)}
<input type="hidden" name="token" value="${escapeHtml(input.token)}">
<p><label for="password">${both({ id: `Kata sandi baru (minimal ${PASSWORD_MIN} karakter)`, en: `New password (at least ${PASSWORD_MIN} characters)` })}</label><br>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="200"></p>
<p><label for="password2">${both({ id: 'Ulangi kata sandi', en: 'Repeat the password' })}</label><br>
<input id="password2" name="password2" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="200"></p>
<p><button type="submit">${both({ id: 'Simpan dan masuk', en: 'Save and sign in' })}</button></p>
</form>`)
}

/** A short page for a link that no longer works. */
export function messagePage(title: string, message: Message): string {
  return page(`TLN — ${title}`, `
<h1>${escapeHtml(title)}</h1>${problemBox(message)}
<p><a href="/login">Ke halaman masuk / To the sign-in page</a></p>`)
}

/** `/account`, the home of a local account: who is signed in, their rights, the menu their grants allow (`menu`, `navigation` of `http/pages.ts`), and sign out. */
export function accountPage(input: { csrf: string; name: string; email?: string; grants: ReadonlyArray<{ role: GrantRole; node?: string }>; menu: string }): string {
  const rows = input.grants.map((g) => `<li>${both(ROLE_LABELS[g.role])} — ${escapeHtml(g.node ?? 'seluruh tenant / whole tenant')}</li>`).join('\n')
  return page('TLN — Akun', `
<h1 id="tln-signed-in">Selamat datang, ${escapeHtml(input.name)}</h1>
<p lang="en">Welcome, ${escapeHtml(endSentence(input.name))} You are signed in to TLN.</p>
${input.email === undefined ? '' : `<p>Email: ${escapeHtml(input.email)}</p>`}
<h2>${both({ id: 'Hak akses', en: 'Access' })}</h2>
<ul id="tln-grants">
${rows || '<li>Belum ada hak akses. <span lang="en">No access yet.</span></li>'}
</ul>
<h2>${both({ id: 'Halaman Anda', en: 'Your pages' })}</h2>
${input.menu}
<form method="post" action="/logout">
${csrfInput(input.csrf)}
<button type="submit" class="secondary">${both({ id: 'Keluar', en: 'Sign out' })}</button>
</form>`)
}

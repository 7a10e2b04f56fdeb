import { CSRF_FIELD } from '../accounts/csrf.ts'
import { TOP_LEVEL_PAGES, type TopLevelPath } from '../session/top-level-paths.ts'
import { both, escapeHtml, page } from './html.ts'

/** Where the framed menu posts for a hand-off (`handoff-router.ts`). */
export const HANDOFF_PATH = '/lti/session/handoff'

/**
 * A menu entry of the framed landing page for a page that is never framed: a form, not a link,
 * since the hand-off is minted by a POST that carries the session's form token (the partitioned
 * session cookie is sent only inside the frame, so the frame must ask). Its `id` is the entry's.
 */
export function handoffMenuItem(input: { path: string; id: string; idText: string; en: string; csrf: string }): string {
  return `<li><form method="post" action="${HANDOFF_PATH}">`
    + `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(input.csrf)}"><input type="hidden" name="target" value="${escapeHtml(input.path)}">`
    + `<button type="submit" id="${escapeHtml(input.id)}">${both({ id: input.idText, en: input.en })}</button>`
    + ` <small>(${both({ id: 'jendela baru', en: 'new window' })})</small></form></li>`
}

/**
 * The frame's answer to a hand-off request: one link that opens the page top-level
 * (`target="_blank"`), where the first-party session is made. A link the user clicks, not a
 * script: pop-up blockers stop a window nobody clicked for, and the CSP allows no inline script.
 */
export function handoffPage(input: { target: TopLevelPath; token: string }): string {
  const name = TOP_LEVEL_PAGES.get(input.target) ?? { id: input.target, en: input.target }
  const href = `${HANDOFF_PATH}?token=${encodeURIComponent(input.token)}`
  return page(`TLN — ${name.id}`, `
<h1>${both(name)}</h1>
<p>Halaman ini tidak ditampilkan di dalam bingkai LMS, demi keamanan. Bukalah di jendela baru; Anda tetap masuk sebagai akun yang sama.</p>
<p lang="en">For security this page is not shown inside the LMS frame. Open it in a new window; you stay signed in as the same account.</p>
<p><a id="tln-handoff-link" class="button" href="${escapeHtml(href)}" target="_blank" rel="noopener">${both({ id: 'Buka di jendela baru', en: 'Open in a new window' })}</a></p>
<p><small>Tautan ini hanya berlaku sekali, selama satu menit. <span lang="en">This link works once, for one minute.</span></small></p>`)
}

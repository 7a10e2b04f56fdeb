import { escapeHtml } from '../html.ts'

/** The message that tells the platform the registration window may close (Dynamic Registration 1.0 §3.6). */
export const REGISTRATION_CLOSE_MESSAGE = { subject: 'org.imsglobal.lti.close' } as const

/**
 * Static script that posts `org.imsglobal.lti.close` to the window that opened the registration
 * (`window.opener`, or the parent frame). The spec's target is `*`: the message carries no data.
 */
export const REGISTRATION_CLOSE_SCRIPT = "(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');\n"

/**
 * The completion page of a dynamic registration: a message for the administrator (e.g. that
 * Moodle keeps the tool pending until activated) and an external script — no inline script.
 */
export function renderRegistrationClosePage(page: { readonly message: string; readonly scriptSrc: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>LTI</title></head><body>
<p>${escapeHtml(page.message)}</p>
<script src="${escapeHtml(page.scriptSrc)}"></script>
</body></html>`
}

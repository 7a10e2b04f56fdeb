import { escapeHtml } from '../html.ts'

export interface AutoSubmitForm {
  readonly action: string
  readonly fields: Readonly<Record<string, string>>
  /** URL of `AUTO_SUBMIT_SCRIPT` on the tool's origin; without it, the user presses the button. */
  readonly scriptSrc?: string
}

/**
 * A page with a POST form of hidden fields. No inline script, so it works under a strict
 * Content-Security-Policy: an external script submits it, and a button remains for no-JS.
 */
export function renderAutoSubmitForm(form: AutoSubmitForm): string {
  const fields = Object.entries(form.fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
  const script = form.scriptSrc ? `<script src="${escapeHtml(form.scriptSrc)}"></script>` : ''
  return `<!doctype html><html><head><meta charset="utf-8"><title>LTI</title></head><body>
<form id="lti-auto-submit" method="post" action="${escapeHtml(form.action)}">${fields}<button type="submit">Lanjutkan / Continue</button></form>
${script}</body></html>`
}

/** Static script for `renderAutoSubmitForm`; serve it from the tool's origin. */
export const AUTO_SUBMIT_SCRIPT = "document.getElementById('lti-auto-submit').submit();\n"

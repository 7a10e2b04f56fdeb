import { both, escapeHtml as e } from '../http/html.ts'

export type Text = { readonly id: string; readonly en: string }

export function problemBox(problem: Text | undefined): string {
  return problem === undefined ? '' : `<div class="box error" role="alert" id="tln-problem"><p>${e(problem.id)}</p><p lang="en">${e(problem.en)}</p></div>`
}

export function noticeBox(notice: Text | undefined): string {
  return notice === undefined ? '' : `<div class="box ok" role="status" id="tln-notice"><p>${e(notice.id)}</p><p lang="en">${e(notice.en)}</p></div>`
}

/**
 * One labelled form field with its error under it (`aria-invalid`, `aria-describedby`), so a
 * screen reader reads the rule with the field. `control` gets the id and the ARIA attributes.
 */
export function field(input: { id: string; label: Text; error?: Text; hint?: Text; control: (attrs: string) => string }): string {
  const describedBy = [input.hint !== undefined ? `${input.id}-hint` : '', input.error !== undefined ? `${input.id}-error` : ''].filter((x) => x !== '').join(' ')
  const attrs = `id="${e(input.id)}"${describedBy !== '' ? ` aria-describedby="${describedBy}"` : ''}${input.error !== undefined ? ' aria-invalid="true"' : ''}`
  return `<p><label for="${e(input.id)}">${both(input.label)}</label><br>
${input.control(attrs)}${input.hint !== undefined ? `<br><small id="${e(input.id)}-hint">${both(input.hint)}</small>` : ''}${input.error !== undefined ? `<br><strong class="field-error" id="${e(input.id)}-error">${both(input.error)}</strong>` : ''}</p>`
}

export const selected = (a: string, b: string | undefined) => (a === b ? ' selected' : '')

import type { CatalogueItem, PickerCatalogue } from '../catalogue.ts'
import { both, escapeHtml, page, signedInPage, type Bilingual } from './html.ts'

export interface PickerPageInput {
  /** The single-use token of the open Deep Linking request (hidden field). */
  readonly token: string
  /** What this instructor may pick (`catalogue.ts`, read from the database per tenant). */
  readonly catalogue: PickerCatalogue
  /** `accept_multiple`: checkboxes when true or absent, radio buttons when false. */
  readonly multiple: boolean
  /** False when the platform accepts no `ltiResourceLink`: nothing TLN has can be placed. */
  readonly acceptsLinks: boolean
  readonly courseTitle?: string
  /** Shown above the form (e.g. "choose at least one"). */
  readonly problem?: { id: string; en: string }
}

/**
 * The Deep Linking picker (Deep Linking 2.0 §4.4): the tenant's program modules (one `fieldset`
 * per program → tier → phase) and performance tasks as one form, Bahasa Indonesia first. Accessible without script: native radio/checkbox inputs in a
 * `fieldset` with a `legend` per group, each label tied to its input, the problem announced with
 * `role="alert"`. Posts to `/lti/deep-linking` with the request token (no cookie needed).
 */
export function pickerPage(input: PickerPageInput): string {
  const hidden = `<input type="hidden" name="request" value="${escapeHtml(input.token)}">`
  if (!input.acceptsLinks) {
    return page('TLN — Pilih modul', `
<h1>Pilih modul TLN</h1>
<div class="box" role="alert">
<p>LMS ini meminta jenis konten yang tidak disediakan TLN. TLN hanya menyediakan tautan aktivitas LTI.</p>
<p lang="en">This LMS asks for content types TLN does not provide. TLN provides LTI activity links only.</p>
</div>
<form method="post" action="/lti/deep-linking">${hidden}
<button type="submit" name="cancel" value="1">${both({ id: 'Kembali ke LMS', en: 'Back to the LMS' })}</button>
</form>`)
  }
  const type = input.multiple ? 'checkbox' : 'radio'
  const option = (item: CatalogueItem) => {
    const id = `item-${escapeHtml(item.id)}`
    const graded = item.kind === 'task' ? ` <small>(${both({ id: `dinilai, maks. ${item.scoreMaximum}`, en: `graded, max ${item.scoreMaximum}` })})</small>` : ''
    return `<li><input type="${type}" name="item" id="${id}" value="${escapeHtml(item.id)}" aria-describedby="${id}-desc">
<label for="${id}">${both(item.title)}${graded}</label>
<p id="${id}-desc" class="desc">${escapeHtml(item.description.id)} <span lang="en">${escapeHtml(item.description.en)}</span></p></li>`
  }
  const list = (items: readonly CatalogueItem[]) => `<ul class="picker">
${items.map(option).join('\n')}
</ul>`
  const none = (id: string, en: string) => `<p>${id} <span lang="en">${en}</span></p>`
  const { moduleGroups, tasks } = input.catalogue
  const modules = moduleGroups.length === 0
    ? none('Belum ada program aktif dengan modul.', 'No active program with modules yet.')
    : moduleGroups.map((g) => `
<fieldset>
<legend>${escapeHtml(g.program.id)} — ${escapeHtml(g.tier.id)} — ${both(g.phase)}</legend>
${list(g.modules)}
</fieldset>`).join('')
  const group = (legend: Bilingual, body: string) => `
<fieldset>
<legend>${both(legend)}</legend>
${body}
</fieldset>`
  const problem = input.problem === undefined ? '' : `
<div class="box error" role="alert"><p>${escapeHtml(input.problem.id)}</p><p lang="en">${escapeHtml(input.problem.en)}</p></div>`
  const course = input.courseTitle === undefined ? '' : `<p>${both({ id: 'Kursus', en: 'Course' })}: ${escapeHtml(input.courseTitle)}</p>`
  return page('TLN — Pilih modul', `
<h1>Pilih modul atau tugas TLN</h1>
<p lang="en">Choose TLN modules or tasks to add to your course.</p>
${course}${problem}
<form method="post" action="/lti/deep-linking">${hidden}
${group({ id: 'Modul', en: 'Modules' }, modules)}
${group({ id: 'Tugas kinerja', en: 'Performance tasks' }, tasks.length === 0 ? none('Belum ada tugas.', 'No tasks yet.') : list(tasks))}
<p><button type="submit">${both({ id: 'Tambahkan ke kursus', en: 'Add to course' })}</button>
<button type="submit" name="cancel" value="1" class="secondary">${both({ id: 'Batal', en: 'Cancel' })}</button></p>
</form>`)
}

/** The page of one catalogue item (a module, or a task without its task page), reached by a resource-link launch whose custom parameters name it. */
export function itemPage(item: CatalogueItem, who: string): string {
  const kind = item.kind === 'task'
    ? `<p>Tugas kinerja (${escapeHtml(item.taskType)}), dinilai fasilitator, nilai maksimum ${item.scoreMaximum}. <span lang="en">Performance task, graded by a facilitator, maximum ${item.scoreMaximum}.</span></p>
<p>Guru mengumpulkan tugas ini dari tautannya di LMS. <span lang="en">Teachers submit this task from its link in the LMS.</span></p>`
    : '<p>Modul Diklat Berjenjang. <span lang="en">A tiered-training module.</span></p>'
  return signedInPage(`TLN — ${item.title.id}`, `
<h1 id="tln-item" data-item="${escapeHtml(item.id)}">${escapeHtml(item.title.id)}</h1>
<p lang="en">${escapeHtml(item.title.en)}</p>
<p id="tln-signed-in">${both({ id: 'Masuk sebagai', en: 'Signed in as' })} ${escapeHtml(who)}</p>
<p>${escapeHtml(item.description.id)}</p>
<p lang="en">${escapeHtml(item.description.en)}</p>
${kind}`)
}

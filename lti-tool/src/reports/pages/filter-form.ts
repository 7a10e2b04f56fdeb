import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'

export interface FilterChoices {
  readonly kecamatan?: readonly { readonly id: string; readonly name: string }[]
  readonly schools?: readonly { readonly id: string; readonly name: string }[]
}

function select(name: string, label: string, options: readonly { id: string; name: string }[], value: string | undefined): string {
  const items = [`<option value="">${e('Semua / All')}</option>`, ...options.map((o) => `<option value="${e(o.id)}"${o.id === value ? ' selected' : ''}>${e(o.name)}</option>`)]
  return `<p><label for="f-${name}">${label}</label><br><select id="f-${name}" name="${name}">${items.join('')}</select></p>`
}

const input = (name: string, type: string, label: string, value: string | undefined, extra = '') =>
  `<p><label for="f-${name}">${label}</label><br><input id="f-${name}" name="${name}" type="${type}" value="${e(value ?? '')}"${extra}></p>`

/**
 * The filters as a plain GET form (no script): program and tier (activity IRIs), period from/to
 * (days), and, where the viewer has a choice, kecamatan and school. Applying reloads the page with
 * the query; a bad value answers 400 naming the field and the rule.
 */
export function filterForm(action: string, filter: ParsedFilter, choices: FilterChoices = {}): string {
  const fields = [
    input('from', 'date', bothUnlessSame('Dari tanggal', 'From'), filter.from),
    input('to', 'date', bothUnlessSame('Sampai tanggal', 'To'), filter.to),
    input('program', 'url', bothUnlessSame('Program (IRI)', 'Programme (IRI)'), filter.program, ' maxlength="2048" inputmode="url"'),
    input('tier', 'url', bothUnlessSame('Tingkat (IRI)', 'Tier (IRI)'), filter.tier, ' maxlength="2048" inputmode="url"'),
    choices.kecamatan === undefined || choices.kecamatan.length === 0 ? '' : select('kecamatan', bothUnlessSame('Kecamatan', 'Kecamatan'), choices.kecamatan, filter.kecamatanId),
    choices.schools === undefined || choices.schools.length === 0 ? '' : select('school', bothUnlessSame('Sekolah', 'School'), choices.schools, filter.schoolId),
  ]
  return `<details class="filters"${Object.keys(filter).length > 0 ? ' open' : ''}><summary>${bothUnlessSame('Saring', 'Filter')}</summary>
<form method="get" action="${e(action)}" id="tln-report-filter">
${fields.filter((f) => f !== '').join('\n')}
<p><button type="submit">${bothUnlessSame('Terapkan', 'Apply')}</button> <a href="${e(action)}">${bothUnlessSame('Hapus saringan', 'Clear filters')}</a></p>
</form></details>`
}

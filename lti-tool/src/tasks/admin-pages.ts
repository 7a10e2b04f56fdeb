import { both, escapeHtml as e, signedInPage } from '../http/html.ts'
import { localTimeHtml } from '../http/local-time.ts'
import type { OrgNode } from '../org/org-types.ts'
import { EXTENSION, type SniffedType } from './sniff.ts'
import type { ManagedTask, RubricVersion } from './task-admin-store.ts'
import { MAX_CRITERIA, MAX_LEVELS, MAX_TASK_MB, TASK_TYPES, typesOfTaskType, type TaskFormErrors } from './task-form.ts'
import type { Assignment } from './task-store.ts'
import { takesUrl, type AssignmentStatus, type TaskType, type Text } from './types.ts'

const TYPE_NAMES: Readonly<Record<TaskType, Text>> = {
  PROTA: { id: 'Program Tahunan (PROTA)', en: 'Annual programme' },
  PROMES: { id: 'Program Semester (PROMES)', en: 'Semester programme' },
  RPPM: { id: 'RPP Mingguan (RPPM)', en: 'Weekly lesson plan' },
  RPPH: { id: 'RPP Harian (RPPH)', en: 'Daily lesson plan' },
  MEDIA: { id: 'Foto media pembelajaran', en: 'Photos of learning media' },
  BLOG: { id: 'Alamat blog', en: 'Blog URL' },
  ARTICLE: { id: 'Alamat artikel', en: 'Article URL' },
}

const STATUS: Readonly<Record<AssignmentStatus, Text>> = {
  not_submitted: { id: 'Belum dikumpulkan', en: 'Not submitted' },
  submitted: { id: 'Menunggu penilaian', en: 'Waiting for grading' },
  returned: { id: 'Dikembalikan untuk revisi', en: 'Returned for revision' },
  accepted: { id: 'Diterima', en: 'Accepted' },
}

function noticeBox(notice: Text | undefined): string {
  return notice === undefined ? '' : `<div class="box ok" role="status"><p>${e(notice.id)}</p><p lang="en">${e(notice.en)}</p></div>`
}

/** The editor's list: the tasks of their scope, with links to edit and to create. */
export function taskListPage(input: { tasks: readonly ManagedTask[]; inherited?: readonly ManagedTask[]; scopeLabel: string; timeZone: string; notice?: Text }): string {
  const details = (t: ManagedTask) => `<small>(${e(t.taskType)}, ${e(t.nodeName ?? 'seluruh tenant / whole tenant')}, ${t.rubric.criteria.length} ${both({ id: 'kriteria', en: 'criteria' })}, ${both({ id: 'rubrik versi', en: 'rubric version' })} ${t.rubricVersion})</small>${t.dueAt !== undefined ? `<br><small>${both({ id: 'Batas', en: 'Due' })}: ${localTimeHtml(t.dueAt, input.timeZone)}</small>` : ''}`
  const rows = input.tasks.length === 0
    ? '<p id="tln-no-tasks">Belum ada tugas yang Anda buat untuk lingkup ini. <span lang="en">No tasks of your scope yet.</span></p>'
    : `<ul class="queue" id="tln-tasks">${input.tasks.map((t) => `<li data-task="${e(t.id)}"><a href="/lti/tasks/admin/${e(t.id)}">${e(t.title.id)}</a> ${details(t)}</li>`).join('\n')}</ul>`
  // What the scope's teachers also get, from the district or the whole tenant: shown so an editor
  // does not read "no tasks" while teachers work on six, but only their owner may change them.
  const inherited = input.inherited === undefined || input.inherited.length === 0 ? '' : `
<h2>${both({ id: 'Tugas dari tingkat di atas', en: 'Tasks from above' })}</h2>
<p><small>${both({ id: 'Guru di lingkup Anda juga mendapat tugas ini; hanya admin pada tingkat itu yang dapat mengubahnya.', en: 'The teachers of your scope get these too; only an admin at that level can change them.' })}</small></p>
<ul class="queue" id="tln-inherited-tasks">${input.inherited.map((t) => `<li data-task="${e(t.id)}">${e(t.title.id)} ${details(t)}</li>`).join('\n')}</ul>`
  return signedInPage('TLN — Tugas kinerja', `
<h1>${both({ id: 'Tugas kinerja', en: 'Performance tasks' })}</h1>
<p><small>${both({ id: 'Lingkup', en: 'Scope' })}: ${e(input.scopeLabel)}</small></p>
${noticeBox(input.notice)}
<p><a href="/lti/tasks/admin/new" id="tln-new-task">${both({ id: 'Buat tugas baru', en: 'Create a task' })}</a></p>
${rows}${inherited}
<p><small>${both({ id: 'Data JSON', en: 'JSON data' })}: <a href="/lti/tasks/admin/api/tasks">/lti/tasks/admin/api/tasks</a></small></p>`)
}

type Values = Readonly<Record<string, string | readonly string[]>>

/**
 * The task editor: the task's fields and its rubric (criteria × one scale of levels) in one form
 * that works without script. Each field shows its own error; the form comes back filled in. The
 * due date is on the deployment's clock (`timeZone`), and its label names it (`zoneName`: WITA).
 */
export function taskEditorPage(input: {
  csrf: string; action: string; values: Values; errors?: TaskFormErrors; nodes: readonly OrgNode[]; tenantWide: boolean; timeZone: string; zoneName: string
  indicators: readonly string[]; task?: ManagedTask; fixedType?: TaskType; versions?: readonly RubricVersion[]; grades?: ReadonlyMap<number, number>; notice?: Text
}): string {
  const errors = input.errors ?? {}
  const v = (name: string) => { const x = input.values[name]; return typeof x === 'string' ? x : '' }
  const err = (name: string) => errors[name] === undefined ? '' : `<br><strong class="field-error" id="err-${e(name.replace('.', '-'))}" data-field="${e(name)}">${both(errors[name]!)}</strong>`
  const aria = (name: string) => errors[name] === undefined ? '' : ` aria-invalid="true" aria-describedby="err-${e(name.replace('.', '-'))}"`
  const text = (name: string, label: string, extra = '') => `<p><label for="f-${e(name.replace('.', '-'))}">${label}</label><br><input id="f-${e(name.replace('.', '-'))}" name="${e(name)}" value="${e(v(name))}"${extra}${aria(name)}>${err(name)}</p>`
  const area = (name: string, label: string) => `<p><label for="f-${e(name)}">${label}</label><br><textarea id="f-${e(name)}" name="${e(name)}" rows="4" maxlength="4000"${aria(name)}>${e(v(name))}</textarea>${err(name)}</p>`
  const type = (v('type') || 'RPPH') as TaskType
  const chosenTypes = new Set(Array.isArray(input.values.types) ? input.values.types : typeof input.values.types === 'string' ? [input.values.types] : [])
  const allTypes = [...new Set<SniffedType>(TASK_TYPES.flatMap((t) => typesOfTaskType(t)))]

  const typeField = `<p><label for="f-type">${both({ id: 'Jenis tugas', en: 'Task type' })}</label><br>
<select id="f-type" name="type"${aria('type')}>${TASK_TYPES.filter((t) => input.fixedType === undefined || t === input.fixedType).map((t) => `<option value="${t}"${t === type ? ' selected' : ''}>${e(t)} — ${e(TYPE_NAMES[t].id)}</option>`).join('')}</select>${err('type')}
${input.fixedType !== undefined ? '<br><small>Sudah ada kiriman: jenis tugas tetap. <span lang="en">There are submissions: the type is fixed.</span></small>' : ''}</p>`
  const fileFields = `<fieldset${aria('types')}><legend>${both({ id: 'Jenis berkas yang diterima', en: 'Accepted file types' })}</legend>
<p><small>Untuk tugas blog dan artikel tidak dipakai (guru mengirim alamat). Tugas media: foto saja. <span lang="en">Not used for blog and article tasks (teachers send an address). Media tasks: photos only.</span></small></p>
${allTypes.map((t) => `<label><input type="checkbox" name="types" value="${e(t)}"${chosenTypes.has(t) ? ' checked' : ''}> ${e(EXTENSION[t].toUpperCase())}</label>`).join('\n')}${err('types')}
</fieldset>
${text('max_mb', both({ id: `Ukuran berkas paling besar (MB, sampai ${MAX_TASK_MB})`, en: `Largest file (MB, up to ${MAX_TASK_MB})` }), ' inputmode="decimal" maxlength="4"')}`
  const nodeField = `<p><label for="f-node">${both({ id: 'Untuk guru di', en: 'For teachers in' })}</label><br>
<select id="f-node" name="node"${aria('node')}>${input.tenantWide ? `<option value=""${v('node') === '' ? ' selected' : ''}>Seluruh tenant / Whole tenant</option>` : ''}${input.nodes.map((n) => `<option value="${e(n.id)}"${v('node') === n.id ? ' selected' : ''}>${e(n.name)} (${e(n.kind)})</option>`).join('')}</select>${err('node')}</p>`

  const levelRows = Array.from({ length: MAX_LEVELS }, (_, j) => `<tr>
<td><input name="l${j}.points" value="${e(v(`l${j}.points`))}" inputmode="numeric" size="3" maxlength="3" aria-label="Poin tingkat ${j + 1} / Points of level ${j + 1}"${aria(`l${j}.points`)}>${err(`l${j}.points`)}</td>
<td><input name="l${j}.label_id" value="${e(v(`l${j}.label_id`))}" maxlength="80" size="10" aria-label="Label tingkat ${j + 1}"${aria(`l${j}.label_id`)}>${err(`l${j}.label_id`)}</td>
<td><input name="l${j}.label_en" value="${e(v(`l${j}.label_en`))}" maxlength="80" size="10" aria-label="Level ${j + 1} label (English)"${aria(`l${j}.label_en`)}>${err(`l${j}.label_en`)}</td></tr>`).join('\n')
  const filled = Array.from({ length: MAX_CRITERIA }, (_, i) => i).filter((i) => ['code', 'title_id', 'title_en', 'indicator', 'weight'].some((f) => v(`c${i}.${f}`) !== '')).length
  const rows = Math.min(MAX_CRITERIA, Math.max(filled + 2, 4))
  const weights = Array.from({ length: MAX_CRITERIA }, (_, i) => Number(v(`c${i}.weight`)) || 0)
  const total = weights.reduce((a, b) => a + b, 0)
  const criterion = (i: number) => `<fieldset class="criterion" data-criterion="${i}"><legend>${both({ id: 'Kriteria', en: 'Criterion' })} ${i + 1}${total > 0 && weights[i]! > 0 ? ` <small>(${Math.round((weights[i]! / total) * 1000) / 10}% ${both({ id: 'nilai', en: 'of the score' })})</small>` : ''}</legend>
${text(`c${i}.title_id`, both({ id: 'Nama kriteria', en: 'Criterion' }), ' maxlength="200"')}
${text(`c${i}.title_en`, both({ id: 'Nama (bahasa Inggris)', en: 'Name (English)' }), ' maxlength="200"')}
<p><label for="f-c${i}-indicator">${both({ id: 'Indikator kompetensi', en: 'Competence indicator' })}</label><br>
<input id="f-c${i}-indicator" name="c${i}.indicator" value="${e(v(`c${i}.indicator`))}" list="tln-indicators" maxlength="40" autocapitalize="characters"${aria(`c${i}.indicator`)}>${err(`c${i}.indicator`)}</p>
${text(`c${i}.weight`, both({ id: 'Bobot (1–100)', en: 'Weight (1–100)' }), ' inputmode="numeric" maxlength="3" size="4"')}
${text(`c${i}.code`, both({ id: 'Kode (kosongkan: dari nama)', en: 'Code (empty: from the name)' }), ' maxlength="40"')}
</fieldset>`
  const general = ['criteria', 'levels'].filter((k) => errors[k] !== undefined).map((k) => `<p class="field-error" role="alert" data-field="${k}">${both(errors[k]!)}</p>`).join('')
  const count = Object.keys(errors).length
  const summary = count === 0 ? '' : `<div class="box error" role="alert" id="tln-problem"><p>Ada ${count} isian yang perlu diperbaiki; tidak ada yang disimpan.</p><p lang="en">${count} field(s) need fixing; nothing was saved.</p></div>`
  const history = input.task === undefined ? '' : `<h2>${both({ id: 'Versi rubrik', en: 'Rubric versions' })}</h2>
<ul id="tln-rubric-versions"><li>${both({ id: 'Versi', en: 'Version' })} ${input.task.rubricVersion} (${both({ id: 'berlaku', en: 'current' })}): ${input.grades?.get(input.task.rubricVersion) ?? 0} ${both({ id: 'penilaian', en: 'grades' })}</li>
${(input.versions ?? []).map((r) => `<li>${both({ id: 'Versi', en: 'Version' })} ${r.version}: ${r.rubric.criteria.length} kriteria, ${input.grades?.get(r.version) ?? 0} ${both({ id: 'penilaian', en: 'grades' })}, ${both({ id: 'diganti', en: 'superseded' })} ${localTimeHtml(r.supersededAt, input.timeZone)}</li>`).join('\n')}</ul>
<p><small>Rubrik yang sudah dipakai menilai tidak diubah: menyimpan perubahan membuat versi baru, dan nilai lama tetap memakai versinya. <span lang="en">A rubric that has graded submissions is not changed: saving a change makes a new version, and old grades keep theirs.</span></small></p>`
  return signedInPage(input.task === undefined ? 'TLN — Tugas baru' : `TLN — ${input.task.title.id}`, `
<p><a href="/lti/tasks/admin">← ${both({ id: 'Tugas kinerja', en: 'Performance tasks' })}</a></p>
<h1>${input.task === undefined ? both({ id: 'Tugas baru', en: 'New task' }) : `${e(input.task.title.id)}`}</h1>
${input.task !== undefined ? `<p><small>${both({ id: 'Kode item', en: 'Item key' })}: <code>${e(input.task.key)}</code></small></p>` : ''}
${noticeBox(input.notice)}${summary}
<form method="post" action="${e(input.action)}" id="tln-task-form">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
${typeField}
${text('title_id', both({ id: 'Judul', en: 'Title' }), ' maxlength="200" required')}
${text('title_en', both({ id: 'Judul (bahasa Inggris)', en: 'Title (English)' }), ' maxlength="200" required')}
${area('description_id', both({ id: 'Petunjuk untuk guru', en: 'Instructions for teachers' }))}
${area('description_en', both({ id: 'Petunjuk (bahasa Inggris, boleh kosong)', en: 'Instructions (English, optional)' }))}
${text('due', both({ id: `Batas waktu (${input.zoneName}, boleh kosong)`, en: `Due (${input.zoneName}, optional)` }), ' type="datetime-local"')}
${takesUrl(type) && input.fixedType !== undefined ? '' : fileFields}
${text('pass', both({ id: 'Batas lulus (1–100)', en: 'Pass mark (1–100)' }), ' inputmode="numeric" maxlength="3" size="4"')}
${nodeField}
<h2>${both({ id: 'Rubrik', en: 'Rubric' })}</h2>
<p><small>Bobot bersifat relatif: kriteria dihitung bobot ÷ jumlah bobot (persen ditampilkan). Setiap kriteria memakai skala tingkat yang sama, terendah dahulu. Indikator dari kerangka kompetensi yang berlaku. <span lang="en">Weights are relative: a criterion counts weight ÷ the sum of weights (shown in percent). Every criterion uses the same scale, lowest level first. Indicators come from the active competence framework.</span></small></p>
${general}
<fieldset><legend>${both({ id: 'Skala tingkat', en: 'Levels' })}</legend>
<table><thead><tr><th>${both({ id: 'Poin', en: 'Points' })}</th><th>Label</th><th lang="en">Label (English)</th></tr></thead>
<tbody>${levelRows}</tbody></table></fieldset>
${Array.from({ length: rows }, (_, i) => criterion(i)).join('\n')}
<datalist id="tln-indicators">${input.indicators.map((c) => `<option value="${e(c)}"></option>`).join('')}</datalist>
<p><button type="submit">${both({ id: 'Simpan', en: 'Save' })}</button></p>
</form>
${history}`)
}

/** A teacher's tasks: each with its status in their course, and the link that opens it. */
export function teacherTasksPage(input: { tasks: readonly ManagedTask[]; assignments: ReadonlyMap<string, Assignment>; timeZone: string }): string {
  const rows = input.tasks.length === 0
    ? '<p id="tln-no-tasks">Belum ada tugas untuk Anda. <span lang="en">No tasks for you yet.</span></p>'
    : `<ul class="queue" id="tln-my-tasks">${input.tasks.map((t) => {
      const a = input.assignments.get(t.id)
      return `<li data-task="${e(t.id)}"><a href="${a === undefined ? `/lti/tasks/mine/${e(t.id)}` : `/lti/tasks/${e(a.id)}`}">${e(t.title.id)}</a> <span lang="en"><small>${e(t.title.en)}</small></span><br><small>${both(STATUS[a?.status ?? 'not_submitted'])}${t.dueAt !== undefined ? ` · ${both({ id: 'Batas', en: 'Due' })} ${localTimeHtml(t.dueAt, input.timeZone)}` : ''}</small></li>`
    }).join('\n')}</ul>`
  return signedInPage('TLN — Tugas saya', `
<h1>${both({ id: 'Tugas saya', en: 'My tasks' })}</h1>
${rows}`)
}

/**
 * A task the teacher has not started yet: what it asks, and the button that starts it. Starting
 * makes their assignment, so it is a POST; opening this page (a GET) changes nothing.
 */
export function startTaskPage(input: { task: ManagedTask; csrf: string; timeZone: string }): string {
  const t = input.task
  return signedInPage(`TLN — ${t.title.id}`, `
<h1 id="tln-task" data-item="${e(t.key)}">${e(t.title.id)}</h1>
<p lang="en">${e(t.title.en)}</p>
<p>${e(t.description.id)} <span lang="en">${e(t.description.en)}</span></p>
${t.dueAt !== undefined ? `<p>${both({ id: 'Batas waktu', en: 'Due' })}: ${localTimeHtml(t.dueAt, input.timeZone)}</p>` : ''}
<p>Status: <strong id="tln-status" data-status="not_submitted">${both(STATUS.not_submitted)}</strong></p>
<form method="post" action="/lti/tasks/mine/${e(t.id)}">
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<button type="submit" id="tln-start-task">${both({ id: 'Mulai mengerjakan', en: 'Start this task' })}</button>
</form>`)
}

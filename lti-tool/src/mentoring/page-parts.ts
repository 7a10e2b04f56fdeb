import { both, escapeHtml as e } from '../http/html.ts'
import { windowEnd } from './rules.ts'
import type { FieldProblem, MentoringSession, Relation, SessionStatus, Text } from './types.ts'

/** Small pieces the mentoring pages share: statuses, per-field errors. */

export const STATUS: Readonly<Record<SessionStatus, Text>> = {
  waiting: { id: 'Menunggu konfirmasi rekan', en: 'Waiting for confirmation' },
  confirmed: { id: 'Dikonfirmasi rekan', en: 'Confirmed by the colleague' },
  disputed: { id: 'Disanggah rekan', en: 'Disputed by the colleague' },
  verified: { id: 'Diverifikasi', en: 'Verified' },
  rejected: { id: 'Ditolak', en: 'Rejected' },
}

export const TOPIC: Readonly<Record<string, Text>> = {
  PROTA: { id: 'Program Tahunan (Prota)', en: 'Annual programme (Prota)' },
  PROMES: { id: 'Program Semester (Promes)', en: 'Semester programme (Promes)' },
  RPPM: { id: 'RPP Mingguan (RPPM)', en: 'Weekly lesson plan (RPPM)' },
  RPPH: { id: 'RPP Harian (RPPH)', en: 'Daily lesson plan (RPPH)' },
}

export function status(s: MentoringSession): string {
  return `<strong class="status" data-status="${s.status}">${both(STATUS[s.status])}</strong>`
}

export function topicOf(s: MentoringSession): string {
  const task = s.topicTask === undefined ? undefined : TOPIC[s.topicTask]
  return task === undefined ? e(s.topicText) : `${both(task)}${s.topicText !== '' ? ` — ${e(s.topicText)}` : ''}`
}

/** One line about a session: date, minutes, topic, and the "after the challenge" flag. */
export function sessionSummary(s: MentoringSession): string {
  const late = s.afterWindow ? ` <span class="flag" data-flag="after-window">${both({ id: 'setelah tantangan', en: 'after the challenge' })}</span>` : ''
  return `<time datetime="${e(s.date)}">${e(s.date)}</time> · ${s.durationMinutes} ${both({ id: 'menit', en: 'min' })} · ${topicOf(s)}${late}`
}

export function windowText(r: Relation): string {
  return `${both({ id: 'Tantangan', en: 'Challenge' })}: <time datetime="${e(r.windowStart)}">${e(r.windowStart)}</time> – <time datetime="${e(windowEnd(r.windowStart, r.windowDays))}">${e(windowEnd(r.windowStart, r.windowDays))}</time> (${r.windowDays} ${both({ id: 'hari', en: 'days' })})`
}

/** The summary box at the top of a form page that failed: every problem, linked to its field. */
export function problemList(problems: readonly FieldProblem[]): string {
  if (problems.length === 0) return ''
  return `<div class="box error" role="alert" id="tln-problems"><p>${both({ id: 'Periksa isian berikut:', en: 'Please check:' })}</p><ul>${problems.map((p) => `<li data-field="${e(p.field)}" data-rule="${e(p.rule)}"><a href="#f-${e(p.field)}">${both(p.message)}</a></li>`).join('')}</ul></div>`
}

/** The message under one field, and the attributes that tie it to the input. */
export function fieldError(problems: readonly FieldProblem[], field: string): { attrs: string; html: string } {
  const p = problems.find((x) => x.field === field)
  if (p === undefined) return { attrs: '', html: '' }
  return { attrs: ` aria-invalid="true" aria-describedby="err-${e(field)}"`, html: `<br><small class="field-error" id="err-${e(field)}" data-rule="${e(p.rule)}">${both(p.message)}</small>` }
}

export function notice(text: Text | undefined): string {
  return text === undefined ? '' : `<div class="box ok" role="status"><p>${both(text)}</p></div>`
}

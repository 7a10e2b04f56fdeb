import type { Actor, Statement } from '@tln/xapi'
import { neutraliseFormula } from './spreadsheet-formula.ts'

/** Context extensions of TLN statements that get a column of their own (see the demo seed). */
export const TLN_EXTENSIONS = {
  kecamatan: 'https://tln.example/xapi/extensions/kecamatan',
  npsn: 'https://tln.example/xapi/extensions/npsn',
  tlnGroup: 'https://tln.example/xapi/extensions/tln-group',
} as const

/** The columns of a CSV export, in order; the full statement JSON is the last. */
export const CSV_COLUMNS = [
  'id',
  'stored',
  'timestamp',
  'actor',
  'actor_name',
  'verb',
  'object_id',
  'object_type',
  'score_scaled',
  'score_raw',
  'success',
  'completion',
  'registration',
  'kecamatan',
  'npsn',
  'tln_group',
  'statement',
] as const

/**
 * The actor's Inverse Functional Identifier as one readable string: the `mbox` IRI, `sha1:<hex>`,
 * the `openid` URI, or `<homePage>#<name>` for an account. Empty for an Anonymous Group.
 */
export function actorIfi(actor: Actor): string {
  if (actor.mbox !== undefined) return actor.mbox
  if (actor.mbox_sha1sum !== undefined) return `sha1:${actor.mbox_sha1sum}`
  if (actor.openid !== undefined) return actor.openid
  if (actor.account !== undefined) return `${actor.account.homePage}#${actor.account.name}`
  return ''
}

/**
 * The values of one CSV row for a stored statement (`json` is its stored text). A text a
 * spreadsheet would run as a formula (an actor's name or an extension value such as
 * `=HYPERLINK(…)`, which any client with write access can send) gets a leading quote
 * (`neutraliseFormula`, OWASP "CSV Injection"); numbers (scores, numeric extensions) stay numbers.
 */
export function csvValues(json: string): string[] {
  const s = JSON.parse(json) as Statement
  const object = s.object as { objectType?: string; id?: string }
  const score = s.result?.score
  const extensions = (s.context?.extensions ?? {}) as Record<string, unknown>
  return [
    s.id ?? '',
    s.stored ?? '',
    s.timestamp ?? '',
    actorIfi(s.actor),
    text(s.actor.name),
    s.verb.id,
    object.id ?? '',
    object.objectType ?? 'Activity',
    text(score?.scaled),
    text(score?.raw),
    text(s.result?.success),
    text(s.result?.completion),
    s.context?.registration ?? '',
    text(extensions[TLN_EXTENSIONS.kecamatan]),
    text(extensions[TLN_EXTENSIONS.npsn]),
    text(extensions[TLN_EXTENSIONS.tlnGroup]),
    json,
  ]
}

/**
 * One CSV record (RFC 4180 section 2): fields with a comma, double quote, CR or LF are enclosed in
 * double quotes, with each double quote doubled; records end with CRLF.
 */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** A value as a cell: a string neutralised, anything else as its JSON (a number stays a number). */
function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? neutraliseFormula(value) : JSON.stringify(value)
}

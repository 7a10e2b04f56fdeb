/**
 * TLN data carried in CASE 1.0 free-text fields. CASE 1.0 has no `extensions` (they arrive in
 * CASE 1.1), so what the CASE model lacks (a node's version, the *(verify)* flag, TLN's framework
 * and rubric ids) is written as `TLN <key>: <value>` lines at the end of `notes` or
 * `description`, readable by a person and parsed back on import. Other lines are kept as text.
 */

export type TlnKey = 'framework' | 'version' | 'verify' | 'rubric'

const LINE = /^TLN (framework|version|verify|rubric): ?(.*)$/u

/** Text followed by one `TLN key: value` line per entry; `undefined` values are left out. */
export function withTlnLines(text: string | undefined, entries: Partial<Record<TlnKey, string>>): string | undefined {
  const lines = Object.entries(entries).filter(([, v]) => v !== undefined).map(([k, v]) => `TLN ${k}: ${v}`)
  const parts = [...(text === undefined || text === '' ? [] : [text]), ...lines]
  return parts.length === 0 ? undefined : parts.join('\n')
}

/** Splits a field written by `withTlnLines` into its free text and its TLN entries. */
export function readTlnLines(value: string | undefined): { text: string | undefined; entries: Partial<Record<TlnKey, string>> } {
  if (value === undefined) return { text: undefined, entries: {} }
  const entries: Partial<Record<TlnKey, string>> = {}
  const rest: string[] = []
  for (const line of value.split(/\r?\n/u)) {
    const m = LINE.exec(line)
    if (m === null) rest.push(line)
    else entries[m[1] as TlnKey] = m[2]!.trim()
  }
  const text = rest.join('\n').trim()
  return { text: text === '' ? undefined : text, entries }
}

/** What the verify line says, so a person reading the CASE JSON understands it. */
export const VERIFY_NOTE = 'true (title not yet checked against the source document)'

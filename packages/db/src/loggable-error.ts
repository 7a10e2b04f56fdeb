/**
 * Database errors as logs may keep them (STYLE.md rule 10: libraries do not decide to log personal
 * data; a log line is kept and shipped where no erasure reaches it). Two things in a database error carry the data it was about, not just the fault:
 *
 * - knex prefixes the driver's message with the query, its bound values written in
 *   (`insert into learning_fact ... values ('account:["https://lms","guru-001"]', ...) - <message>`),
 *   and the stack's first line repeats that message; a page of the competence engine binds whole
 *   statements;
 * - PostgreSQL's own message quotes the value it refused (`invalid input syntax for type uuid:
 *   "Siti Aminah"`, `value "…" is out of range for type integer`), and its `detail` and `where`
 *   fields repeat key values and rows (`Key (…)=(…) already exists.`, `Failing row contains (…)`).
 *
 * What is left is what an operator needs to find the fault: the SQLSTATE, the constraint, table,
 * column, type and schema it names, the server routine, the message with quoted values replaced by
 * `"[redacted]"` (the names of the error's own constraint, table, column, type and schema stay),
 * and the stack's frames. `detail`, `hint`, `where` and `internalQuery` are dropped.
 */

/**
 * A SQLSTATE (PostgreSQL Appendix A): classes `00`–`58`, `F0`, `HV`, `P0`, `XX`, then three digits or
 * capitals. Node's own 5-letter codes (`EPIPE`, `EPERM`) all start with `E`, which no class does.
 */
const SQLSTATE = /^(?:[0-5][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/

/** True for an error the database raised (pg and PGlite alike: it carries a SQLSTATE `code`). */
export function isDatabaseError(error: unknown): boolean {
  const code = field(error, 'code')
  return code !== undefined && SQLSTATE.test(code)
}

/** The first database error in `error`'s `cause` chain (itself included), if any. */
export function databaseErrorIn(error: unknown): unknown {
  const seen = new Set<unknown>()
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    if (isDatabaseError(e)) return e
    seen.add(e)
  }
  return undefined
}

/** What stands in for a quoted value. */
export const REDACTED_VALUE = '[redacted]'

/** The longest message kept (a message is one line; a longer one is a value the quotes did not catch). */
const MAX_MESSAGE = 500

/** Identifier fields of PostgreSQL errors (pg and PGlite alike): names from the schema, not data. */
const NAME_FIELDS = ['constraint', 'table', 'column', 'dataType', 'schema'] as const
/** Fields logged as they are. */
const KEPT_FIELDS = ['code', 'severity', ...NAME_FIELDS, 'routine'] as const

export interface LoggableError {
  /** The error's class (`DatabaseError`, `TypeError`, `KnexTimeoutError`, …). */
  readonly type: string
  /** The message without knex's query prefix, quoted values redacted (`redactedMessage`). */
  readonly message: string
  /** SQLSTATE (database errors) or a Node.js error code (`ECONNREFUSED`). */
  readonly code?: string
  readonly severity?: string
  readonly constraint?: string
  readonly table?: string
  readonly column?: string
  readonly dataType?: string
  readonly schema?: string
  /** The PostgreSQL source routine that raised it (`pg_strtoint32_safe`, `ExecConstraints`, …). */
  readonly routine?: string
  /** `type: message`, then the stack's frames only (the stack's own first lines repeat the raw message). */
  readonly stack?: string
}

const field = (error: unknown, name: string): string | undefined => {
  const value = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The error's message as a log or a stored reason may hold it: knex's `<query with values> - `
 * prefix cut (at the last ` - `), the first line only, every double-quoted value replaced by
 * `"[redacted]"` except the names the error itself gives as `constraint`, `table`, `column`,
 * `dataType` or `schema`, control characters removed, at most 500 characters. A value may itself
 * hold quotes or ` - `: everything from the first remaining quote to the last is redacted, and a
 * lone quote (a value cut by the prefix split) is redacted with all before it, so a value is never
 * half kept. Other errors (a `TypeError`, a `SyntaxError` quoting JSON) get the same treatment.
 */
export function redactedMessage(error: unknown): string {
  const raw = typeof error === 'string' ? error : error instanceof Error ? error.message : field(error, 'message') ?? String(error)
  const cut = raw.includes(' - ') ? raw.slice(raw.lastIndexOf(' - ') + 3) : raw
  let text = cut.split(/\r?\n/, 1)[0] ?? ''
  // Names of the schema the error itself reports are kept: put them aside while values are redacted.
  const names = [...new Set(NAME_FIELDS.map((name) => field(error, name)).filter((n): n is string => n !== undefined && !n.includes('"')))]
  names.forEach((name, i) => { text = text.split(`"${name}"`).join(`\u0001${i}\u0001`) })
  const quotes = text.split('"').length - 1
  if (quotes >= 2) text = text.replace(/"[\s\S]*"/, `"${REDACTED_VALUE}"`)
  else if (quotes === 1) text = `${REDACTED_VALUE}${text.slice(text.indexOf('"') + 1)}`
  // eslint-disable-next-line no-control-regex
  text = text.replace(/\u0001(\d+)\u0001/g, (_, i: string) => `"${names[Number(i)] ?? ''}"`).replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
  if (text === '') return 'no message'
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`
}

/**
 * The error as a log line may hold it (see the module comment): pass it as the `err` field,
 * `logger.error({ err: loggableError(error) }, '…')`, in place of the error itself. Idempotent:
 * `loggableError(loggableError(e))` is `loggableError(e)`.
 */
export function loggableError(error: unknown): LoggableError {
  // A loggable error passed again (the engine makes its own, the app's serializer makes any database error's) keeps its type and stack.
  const type = error instanceof Error ? (error.constructor.name !== 'Error' ? error.constructor.name : error.name) : field(error, 'type') ?? typeof error
  const message = redactedMessage(error)
  const out: Record<string, string> = { type, message }
  for (const name of KEPT_FIELDS) {
    const value = field(error, name)
    if (value !== undefined) out[name] = value.slice(0, 200)
  }
  const stack = (error instanceof Error ? error.stack : field(error, 'stack'))?.split('\n').filter((line) => /^\s+at /.test(line)) ?? []
  if (stack.length > 0) out['stack'] = [`${type}: ${message}`, ...stack].join('\n')
  return out as unknown as LoggableError
}

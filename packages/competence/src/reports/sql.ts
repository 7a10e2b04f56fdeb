/**
 * A tagged template for parameterised SQL: every interpolated value becomes a `?` binding, an
 * interpolated `Sql` fragment is spliced in with its own bindings. Report queries are built from
 * fragments (the learner scope, the fact filter) without ever putting a value into the SQL text.
 */
import type { Knex } from '@tln/db'

export interface Sql {
  readonly text: string
  readonly values: readonly unknown[]
}

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'text' in value && 'values' in value
}

/** `sql\`select … where tenant_id = ${tenantId}\`` → text with `?`, values in order. */
export function sql(strings: TemplateStringsArray, ...parts: readonly unknown[]): Sql {
  let text = strings[0]!
  const values: unknown[] = []
  parts.forEach((part, i) => {
    if (isSql(part)) {
      text += part.text
      values.push(...part.values)
    } else {
      text += '?'
      values.push(part)
    }
    text += strings[i + 1]!
  })
  return { text, values }
}

/** Fragments joined by a separator (e.g. `and`); empty when none. */
export function joinSql(fragments: readonly Sql[], separator: string): Sql {
  return { text: fragments.map((f) => f.text).join(separator), values: fragments.flatMap((f) => f.values) }
}

export const EMPTY: Sql = { text: '', values: [] }

/** Runs a query and returns its rows (the same shape on PGlite and PostgreSQL). */
export async function queryRows<T>(knex: Knex, query: Sql): Promise<T[]> {
  const result = (await knex.raw(query.text, query.values as Knex.RawBinding[])) as { rows: T[] }
  return result.rows
}

/** An instant column as ISO 8601 UTC text, independent of the session time zone. */
export function isoOf(column: string): Sql {
  return { text: `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, values: [] }
}

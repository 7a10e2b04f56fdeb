import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, validateStatement, XapiError, type ValidatedStatement } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import type { RequestContext, StatementService } from '../statements/statement-service.ts'

/** One statement of an import file: its text and where it was (line, or item of an array). */
export interface ImportItem {
  line: number
  text: string
}

/** Why a statement of the file was not stored. */
export interface ImportRejection {
  line: number
  /** JSON path of the offending property (`$` for the whole statement). */
  path: string
  /** Stable rule name: `json`, an xAPI rule (`iri`, `required`…) or an LRS error code. */
  rule: string
  message: string
  text: string
}

export interface ImportCounts {
  read: number
  stored: number
  duplicates: number
  rejected: number
}

export interface ImportOptions {
  statements: StatementService
  /** Tenant and the credential recorded as the statements' authority. */
  context: RequestContext
  batchSize?: number
  onBatch?(counts: ImportCounts): void
  onReject?(rejection: ImportRejection): void | Promise<void>
}

/**
 * Imports statements exported by another LRS, validated exactly as if they were POSTed (version
 * 1.0.3 rules unless the statement says `2.0.x`), stored in batches through the StatementService.
 * A statement stored already with the same content is a duplicate, not an error (xAPI 1.0.3
 * Communication 2.1.2); one with the same id and other content is rejected (`ERR_LRS_CONFLICT`).
 * A rejected statement never blocks the rest: a batch the store refuses is stored one by one.
 */
export async function importStatements(items: AsyncIterable<ImportItem>, options: ImportOptions): Promise<ImportCounts> {
  const batchSize = options.batchSize ?? 500
  const counts: ImportCounts = { read: 0, stored: 0, duplicates: 0, rejected: 0 }
  let batch: Array<{ item: ImportItem; statement: ValidatedStatement }> = []
  let ids = new Set<string>()

  const reject = async (rejection: ImportRejection) => {
    counts.rejected++
    await options.onReject?.(rejection)
  }
  const flush = async () => {
    if (batch.length === 0) return
    const pending = batch
    batch = []
    ids = new Set()
    try {
      const { fresh } = await options.statements.storeCounting(options.context, pending.map((p) => p.statement))
      counts.stored += fresh
      counts.duplicates += pending.length - fresh
    } catch (error) {
      if (!(error instanceof LrsError) || pending.length === 1) {
        if (error instanceof LrsError) await reject(lrsRejection(pending[0]!.item, error))
        else throw error
      } else {
        // Find the culprit: the batch is all-or-nothing, one statement at a time is not.
        for (const one of pending) {
          try {
            const { fresh } = await options.statements.storeCounting(options.context, [one.statement])
            counts.stored += fresh
            counts.duplicates += 1 - fresh
          } catch (inner) {
            if (!(inner instanceof LrsError)) throw inner
            await reject(lrsRejection(one.item, inner))
          }
        }
      }
    }
    options.onBatch?.({ ...counts })
  }

  for await (const item of items) {
    if (item.text.trim() === '') continue
    counts.read++
    let json: unknown
    if (jsonNestsDeeperThan(item.text)) {
      await reject({ line: item.line, path: '$', rule: 'max-depth', message: `nests objects and arrays more than ${MAX_JSON_DEPTH} deep`, text: item.text })
      continue
    }
    try {
      json = JSON.parse(item.text)
    } catch (error) {
      await reject({ line: item.line, path: '$', rule: 'json', message: `not JSON: ${(error as Error).message}`, text: item.text })
      continue
    }
    const version = typeof (json as { version?: unknown }).version === 'string' && (json as { version: string }).version.startsWith('2.0') ? '2.0.0' : '1.0.3'
    let statement: ValidatedStatement
    try {
      statement = validateStatement(json, { version })
    } catch (error) {
      if (!(error instanceof XapiError)) throw error
      const first = error.issues[0]
      await reject({ line: item.line, path: first?.path || '$', rule: first?.rule ?? error.code, message: error.issues.map((i) => i.message).join('; ') || error.message, text: item.text })
      continue
    }
    const id = (statement.id ?? '').toLowerCase()
    // A batch must not repeat an id (Communication 2.1.2): a repeat starts the next batch.
    if (id !== '' && ids.has(id)) await flush()
    batch.push({ item, statement })
    if (id !== '') ids.add(id)
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  return counts
}

function lrsRejection(item: ImportItem, error: LrsError): ImportRejection {
  return { line: item.line, path: error.path ?? '$', rule: error.code, message: error.message, text: item.text }
}

/** The lines of an NDJSON stream as import items (line numbers from 1). */
export async function* ndjsonItems(input: Readable): AsyncGenerator<ImportItem> {
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++
    yield { line, text }
  }
}

/**
 * The statements of a whole JSON document: an array of statements, or a StatementResult
 * (`{"statements":[…]}`) as GET /statements answers. `line` is then the item's index from 1.
 * @throws LrsError `ERR_LRS_BAD_REQUEST` when the document is neither
 */
export function* jsonDocumentItems(document: string): Generator<ImportItem> {
  let parsed: unknown
  if (jsonNestsDeeperThan(document, MAX_JSON_DEPTH + 2)) throw new LrsError('ERR_LRS_BAD_REQUEST', `the file nests objects and arrays more than ${MAX_JSON_DEPTH} deep inside a statement (rule max-depth)`, '$')
  try {
    parsed = JSON.parse(document)
  } catch (error) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `the file is neither NDJSON nor a JSON document: ${(error as Error).message}`, '$')
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { statements?: unknown } | null)?.statements
  if (!Array.isArray(list)) throw new LrsError('ERR_LRS_BAD_REQUEST', 'a JSON document must be an array of statements or a StatementResult {"statements":[…]}', '$')
  let line = 0
  for (const statement of list) yield { line: ++line, text: JSON.stringify(statement) }
}

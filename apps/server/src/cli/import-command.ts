import { createReadStream, createWriteStream, rmSync, statSync, type WriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Knex } from '@tln/db'
import { importStatements, jsonDocumentItems, ndjsonItems, type ImportCounts, type ImportItem, type ImportRejection, type StatementService } from '@tln/lrs'
import { ServerError } from '../errors.ts'
import { EXIT } from './exit-code.ts'
import type { Output } from './output.ts'

export interface ImportCommandOptions {
  tenant?: string
  batch?: number
  /** `bar` redraws one line (a terminal), `lines` prints a line every few seconds, `none` is quiet. */
  progress: 'bar' | 'lines' | 'none'
}

/** The authority recorded on imported statements: the import itself, not a client credential. */
const IMPORT_CREDENTIAL = { id: '00000000-0000-0000-0000-000000000000', key: 'tln-import', label: 'tln import', scopes: ['all' as const] }

const SHOWN_REJECTIONS = 20

/**
 * `tln import statements FILE`: stores the statements of another LRS's export (NDJSON, one
 * statement per line; or a JSON array / StatementResult), with progress on stderr and a summary.
 * Every rejected statement is written to `FILE.rejected.ndjson` with its line, path and rule.
 * @returns 0 when everything was stored or was there already, 2 when some were rejected
 */
export async function importCommand(deps: { knex: Knex; statements: StatementService }, file: string, options: ImportCommandOptions, output: Output): Promise<number> {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    throw new ServerError('ERR_USAGE', `cannot read ${file}`, 'FILE')
  }
  const batch = options.batch ?? 500
  if (!Number.isInteger(batch) || batch < 1 || batch > 5000) throw new ServerError('ERR_USAGE', '--batch must be a whole number from 1 to 5000', '--batch')
  const slug = options.tenant ?? 'default'
  const tenant = (await deps.knex('tenant').select('id').where({ slug }).first()) as { id: string } | undefined
  if (tenant === undefined) throw new ServerError('ERR_NOT_FOUND', `tenant ${slug} does not exist`, '--tenant')

  const rejectedPath = `${file}.rejected.ndjson`
  rmSync(rejectedPath, { force: true })
  let rejectedFile: WriteStream | undefined
  const shown: ImportRejection[] = []
  let bytes = 0
  const progress = progressReporter(options.progress, size, () => bytes, output)

  const items = await itemsOf(file, (n) => {
    bytes += n
  })
  const started = Date.now()
  let counts: ImportCounts
  try {
    counts = await importStatements(items, {
      statements: deps.statements,
      context: { tenantId: tenant.id, credential: { ...IMPORT_CREDENTIAL, tenantId: tenant.id }, version: '1.0.3' },
      batchSize: batch,
      onBatch: progress.update,
      onReject: async (rejection) => {
        if (shown.length < SHOWN_REJECTIONS) shown.push(rejection)
        rejectedFile ??= createWriteStream(rejectedPath, { flags: 'w' })
        const line = `${JSON.stringify({ line: rejection.line, path: rejection.path, rule: rejection.rule, message: rejection.message, statement: rejection.text })}\n`
        if (!rejectedFile.write(line)) await new Promise<void>((resolve) => rejectedFile!.once('drain', () => resolve()))
      },
    })
  } finally {
    progress.done()
    if (rejectedFile !== undefined) await new Promise<void>((resolve) => rejectedFile!.end(() => resolve()))
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  output.out(`${counts.read} statements read in ${seconds} s: ${counts.stored} stored, ${counts.duplicates} skipped as duplicates, ${counts.rejected} rejected`)
  for (const r of shown) output.out(`  line ${r.line}: ${r.path}: ${r.rule}: ${r.message}`)
  if (counts.rejected > SHOWN_REJECTIONS) output.out(`  … and ${counts.rejected - SHOWN_REJECTIONS} more`)
  if (counts.rejected > 0) output.out(`every rejected statement, with its line and reason: ${rejectedPath}`)
  return counts.rejected > 0 ? EXIT.usage : EXIT.ok
}

/**
 * NDJSON, read as a stream (constant memory), unless the file is one JSON document: it starts
 * with `[`, or its first line is not a JSON object by itself (pretty-printed), or it is a
 * StatementResult. A whole document is read into memory.
 */
async function itemsOf(file: string, onBytes: (n: number) => void): Promise<AsyncIterable<ImportItem>> {
  const handle = await open(file, 'r')
  const head = Buffer.alloc(64 * 1024)
  const { bytesRead } = await handle.read(head, 0, head.length, 0)
  await handle.close()
  const text = head.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '')
  const trimmed = text.trimStart()
  const firstLine = trimmed.split('\n', 1)[0] ?? ''
  let document = trimmed.startsWith('[')
  if (!document && trimmed.startsWith('{') && (firstLine.length < text.length || bytesRead < head.length)) {
    try {
      document = Array.isArray((JSON.parse(firstLine) as { statements?: unknown }).statements)
    } catch {
      document = true
    }
  }
  if (document) {
    const { readFile } = await import('node:fs/promises')
    const whole = await readFile(file, 'utf8')
    onBytes(Buffer.byteLength(whole))
    return (async function* () {
      yield* jsonDocumentItems(whole.replace(/^\uFEFF/, ''))
    })()
  }
  const stream = createReadStream(file)
  stream.on('data', (chunk) => onBytes(chunk.length))
  return ndjsonItems(stream)
}

function progressReporter(mode: ImportCommandOptions['progress'], size: number, bytes: () => number, output: Output) {
  let last = 0
  let counts: ImportCounts = { read: 0, stored: 0, duplicates: 0, rejected: 0 }
  const line = () => {
    const share = size === 0 ? 1 : Math.min(1, bytes() / size)
    return { share, text: `${(share * 100).toFixed(0).padStart(3)}%  ${counts.read} read, ${counts.stored} stored, ${counts.duplicates} duplicates, ${counts.rejected} rejected` }
  }
  return {
    update: (next: ImportCounts) => {
      counts = next
      const now = Date.now()
      if (mode === 'bar') {
        if (now - last < 100) return
        last = now
        const { share, text } = line()
        const width = 30
        const filled = Math.round(share * width)
        process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`)
      } else if (mode === 'lines' && now - last >= 5000) {
        last = now
        output.err(`import: ${line().text}`)
      }
    },
    done: () => {
      if (mode === 'bar') process.stderr.write('\n')
    },
  }
}

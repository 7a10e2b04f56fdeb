import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCommand } from '../src/cli/import-command.ts'
import { captureOutput } from './test-app.ts'

function statement(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: `Guru ${n}`, account: { homePage: 'https://elearning.bppaudntb.example', name: `ptk-${n}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: `https://tln.example/xapi/activities/task/${n}` },
    timestamp: '2026-03-02T08:00:00+08:00',
    stored: '2026-03-02T00:00:01Z',
    authority: { objectType: 'Agent', account: { homePage: 'https://other-lrs.example', name: 'exporter' } },
    ...extra,
  }
}

describe(`tln import statements on ${testEngine()}`, () => {
  let db: Db
  let lrs: Lrs
  let dir: string
  beforeAll(async () => {
    db = await createTestDb()
    lrs = createLrs({ knex: db.knex, logger: pino({ level: 'silent' }), publicUrl: 'http://tln.test' })
    dir = mkdtempSync(join(tmpdir(), 'tln-import-'))
  })
  afterAll(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const run = (file: string, batch = 7) => {
    const io = captureOutput()
    return importCommand({ knex: db.knex, statements: lrs.statements }, file, { batch, progress: 'none' }, io).then((code) => ({ code, io }))
  }

  it('stores a valid NDJSON file in batches, and a second run skips everything as duplicates (exit 0)', async () => {
    const good = Array.from({ length: 30 }, (_, i) => statement(i))
    const file = join(dir, 'good.ndjson')
    writeFileSync(file, `${good.map((s) => JSON.stringify(s)).join('\n')}\n`)
    const first = await run(file)
    expect(first.code).toBe(0)
    expect(first.io.stdout).toContain('30 statements read')
    expect(first.io.stdout).toContain('30 stored, 0 skipped as duplicates, 0 rejected')
    const second = await run(file)
    expect(second.code).toBe(0)
    expect(second.io.stdout).toContain('0 stored, 30 skipped as duplicates, 0 rejected')
    expect(existsSync(`${file}.rejected.ndjson`)).toBe(false)
    const stored = (await db.knex('xapi_statement').where({ id: good[0]!.id }).first()) as { statement: { authority: { account: { name: string } } } }
    expect(stored.statement.authority.account.name).toBe('tln-import')
  })

  it('rejects bad lines with line, path and rule, stores the rest, and exits 2', async () => {
    const conflicting = statement(99)
    await run(writeLines('seed.ndjson', [JSON.stringify(conflicting)]))
    const lines = [
      JSON.stringify(statement(100)),
      '{not json',
      JSON.stringify(statement(101, { verb: { id: 'completed' } })),
      '',
      JSON.stringify(statement(102)),
      JSON.stringify({ ...conflicting, object: { objectType: 'Activity', id: 'https://tln.example/other' } }),
      JSON.stringify(statement(103, { version: '2.0.0', context: { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:fas@paud.example' } }] } })),
      JSON.stringify(statement(104, { context: { contextAgents: [] } })),
    ]
    const file = writeLines('mixed.ndjson', lines)
    const { code, io } = await run(file, 2)
    expect(code).toBe(2)
    expect(io.stdout).toContain('7 statements read')
    expect(io.stdout).toContain('3 stored, 0 skipped as duplicates, 4 rejected')
    expect(io.stdout).toContain('line 2: $: json:')
    expect(io.stdout).toContain('line 3: verb.id: iri:')
    expect(io.stdout).toMatch(/line 6: .*ERR_LRS_CONFLICT/)
    expect(io.stdout).toContain('line 8: context.contextAgents: unknown-property')
    const rejected = readFileSync(`${file}.rejected.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; rule: string; statement: string })
    expect(rejected.map((r) => r.line)).toEqual([2, 3, 6, 8])
    expect(rejected[0]!.statement).toBe('{not json')
  })

  it('reads a StatementResult or an array of statements too', async () => {
    const a = [statement(200), statement(201)]
    const result = await run(writeLines('result.json', [JSON.stringify({ statements: a, more: '' }, null, 2)]))
    expect(result.io.stdout).toContain('2 stored')
    const array = await run(writeLines('array.json', [JSON.stringify([statement(202)])]))
    expect(array.io.stdout).toContain('1 stored')
  })

  function writeLines(name: string, lines: string[]): string {
    const file = join(dir, name)
    writeFileSync(file, `${lines.join('\n')}\n`)
    return file
  }
})

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, PGLITE_SHARED_BUFFERS_MB, type Db } from './create-db.ts'
import { migrateToLatest } from './migrate.ts'
import { createTestDb, testEngine } from './testing/test-db.ts'

describe(`database on ${testEngine()}`, () => {
  let db: Db
  beforeAll(async () => {
    db = await createTestDb()
  })
  afterAll(async () => {
    await db.close()
  })

  it('comes migrated, with the default tenant', async () => {
    const tenants = await db.knex('tenant').select('slug')
    expect(tenants.map((t) => t.slug)).toEqual(['default'])
  })

  it('running the migrations again changes nothing', async () => {
    expect(await migrateToLatest(db.knex)).toEqual([])
  })

  it('returns bigint columns as numbers on every engine', async () => {
    const { rows } = await db.knex.raw('select 42::bigint as n')
    expect(rows[0].n).toBe(42)
  })

  it('delete() answers the number of rows removed on every engine', async () => {
    await db.knex('tenant').insert([{ slug: 'gone-1', name: 'Gone 1' }, { slug: 'gone-2', name: 'Gone 2' }])
    expect(await db.knex('tenant').whereIn('slug', ['gone-1', 'gone-2']).delete()).toBe(2)
    expect(await db.knex('tenant').where({ slug: 'gone-1' }).delete()).toBe(0)
  })

  it('rolls back a failed transaction whole', async () => {
    await expect(
      db.knex.transaction(async (tx) => {
        await tx('tenant').insert({ slug: 'rolled-back', name: 'x' })
        await tx('tenant').insert({ slug: 'rolled-back', name: 'duplicate slug' })
      }),
    ).rejects.toThrow()
    expect(await db.knex('tenant').where({ slug: 'rolled-back' })).toHaveLength(0)
  })
})

// Only the embedded engine has a data directory; the PostgreSQL run skips this block.
describe.runIf(testEngine() === 'pglite')('embedded storage in a data directory', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tln-data-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps everything across a restart', async () => {
    const first = await createDb({ engine: 'pglite', dataDir: dir })
    await migrateToLatest(first.knex)
    await first.knex('tenant').insert({ slug: 'ntb', name: 'Nusa Tenggara Barat' })
    await first.close()

    const second = await createDb({ engine: 'pglite', dataDir: dir })
    expect(await migrateToLatest(second.knex)).toEqual([])
    const slugs = (await second.knex('tenant').select('slug').orderBy('slug')).map((t) => t.slug)
    await second.close()
    expect(slugs).toEqual(['default', 'ntb'])
  })

  it(`starts with a ${PGLITE_SHARED_BUFFERS_MB} MB buffer pool unless told otherwise, not PGlite's 128 MB (resident memory)`, async () => {
    const byDefault = await createDb({ engine: 'pglite', dataDir: dir })
    const { rows } = (await byDefault.knex.raw('show shared_buffers')) as { rows: Array<{ shared_buffers: string }> }
    await byDefault.close()
    expect(rows[0]!.shared_buffers).toBe(`${PGLITE_SHARED_BUFFERS_MB}MB`)
    const configured = await createDb({ engine: 'pglite', dataDir: dir, sharedBuffersMb: 64 })
    const again = (await configured.knex.raw('show shared_buffers')) as { rows: Array<{ shared_buffers: string }> }
    await configured.close()
    expect(again.rows[0]!.shared_buffers).toBe('64MB')
  })

  // The error comes from the child that creates the database (initdb run here would throw PGlite's
  // bare ErrnoError object): this process never holds initdb's ≈ 640 MB of WASM memory.
  it('creates a new database in a child process, whose failure names the directory and the reason', async () => {
    const blocked = await mkdtemp(join(tmpdir(), 'tln-data-'))
    try {
      await writeFile(join(blocked, 'base'), 'a file where initdb makes a directory')
      await expect(createDb({ engine: 'pglite', dataDir: blocked })).rejects.toThrow(`could not create the embedded database in ${blocked}: ENOTDIR`)
    } finally {
      await rm(blocked, { recursive: true, force: true })
    }
  })
})

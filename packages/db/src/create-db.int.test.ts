import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, PGLITE_SHARED_BUFFERS_MB, type Db } from './create-db.ts'
import { migrateToLatest } from './migrate.ts'
import { COMPLETE_MARKER, CREATING_PREFIX } from './new-data-dir.ts'
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

  // Creating a data directory is ≈ 16 CPU-seconds of initdb: more than the default 30 s on a loaded machine.
  it('keeps everything across a restart', { timeout: 120_000 }, async () => {
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

  it(`starts with a ${PGLITE_SHARED_BUFFERS_MB} MB buffer pool unless told otherwise, not PGlite's 128 MB (resident memory)`, { timeout: 120_000 }, async () => {
    const byDefault = await createDb({ engine: 'pglite', dataDir: dir })
    const { rows } = (await byDefault.knex.raw('show shared_buffers')) as { rows: Array<{ shared_buffers: string }> }
    await byDefault.close()
    expect(rows[0]!.shared_buffers).toBe(`${PGLITE_SHARED_BUFFERS_MB}MB`)
    const configured = await createDb({ engine: 'pglite', dataDir: dir, sharedBuffersMb: 64 })
    const again = (await configured.knex.raw('show shared_buffers')) as { rows: Array<{ shared_buffers: string }> }
    await configured.close()
    expect(again.rows[0]!.shared_buffers).toBe('64MB')
  })

  // The error comes from the child that creates the database (initdb run here would hold its
  // ≈ 640 MB of WASM memory): it names the directory and how the child ended. initdb writes
  // PG_VERSION early, so a creation killed halfway in the data directory itself looked finished to
  // every later start; it now happens in `.tln-creating-<pid>` and is moved in when complete.
  it('survives a creation killed halfway: the error names the directory, and the next start creates the database again instead of opening a half-made one', { timeout: 240_000 }, async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'tln-data-'))
    try {
      const first = createDb({ engine: 'pglite', dataDir: fresh })
      const creator = await creatingProcess(fresh)
      process.kill(creator.pid, 'SIGKILL')
      await expect(first).rejects.toThrow(`could not create the embedded database in ${fresh}: the creating process was ended by SIGKILL`)
      expect(existsSync(join(fresh, 'PG_VERSION'))).toBe(false)

      const second = await createDb({ engine: 'pglite', dataDir: fresh })
      try {
        await migrateToLatest(second.knex)
        expect((await second.knex('tenant').select('slug')).map((t) => t.slug)).toEqual(['default'])
      } finally {
        await second.close()
      }
      expect((await readdir(fresh)).filter((name) => name.startsWith(CREATING_PREFIX))).toEqual([])
    } finally {
      await rm(fresh, { recursive: true, force: true })
    }
  })

  it('finishes a move into place that was killed halfway, keeping the data', { timeout: 120_000 }, async () => {
    const before = await createDb({ engine: 'pglite', dataDir: dir })
    await migrateToLatest(before.knex)
    await before.knex('tenant').insert({ slug: 'moved', name: 'Moved' }).onConflict('slug').ignore()
    await before.close()
    // Put some of its entries back in a marked creating directory, as a kill between two renames leaves them.
    const moving = join(dir, `${CREATING_PREFIX}4194305`)
    await mkdir(moving)
    for (const name of ['PG_VERSION', 'global', 'pg_xact']) await rename(join(dir, name), join(moving, name))
    await writeFile(join(moving, COMPLETE_MARKER), '')
    const reopened = await createDb({ engine: 'pglite', dataDir: dir })
    const slugs = (await reopened.knex('tenant').select('slug').orderBy('slug')).map((t) => t.slug)
    await reopened.close()
    expect(slugs).toContain('moved')
    expect(existsSync(moving)).toBe(false)
  })
})

/** The child creating a database in `dataDir`, once initdb has written PG_VERSION in its directory. */
async function creatingProcess(dataDir: string): Promise<{ pid: number }> {
  const deadline = Date.now() + 120_000
  for (;;) {
    const name = (await readdir(dataDir)).find((n) => n.startsWith(CREATING_PREFIX))
    if (name !== undefined && existsSync(join(dataDir, name, 'PG_VERSION'))) return { pid: Number(name.slice(CREATING_PREFIX.length)) }
    if (Date.now() > deadline) throw new Error(`no creation started in ${dataDir}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

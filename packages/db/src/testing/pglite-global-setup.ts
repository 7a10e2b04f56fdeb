import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb } from '../create-db.ts'
import { migrateToLatest } from '../migrate.ts'

/**
 * vitest global setup for the `pglite` project: migrates one embedded database and writes its
 * data directory as a snapshot that each test file loads (faster than migrating per file).
 */
export default async function setup(): Promise<void> {
  const db = await createDb({ engine: 'pglite' })
  try {
    await migrateToLatest(db.knex)
    const pglite = (await db.knex.client.acquireConnection()) as { dumpDataDir(c: 'gzip'): Promise<Blob> }
    const dump = await pglite.dumpDataDir('gzip')
    await db.knex.client.releaseConnection(pglite)
    const path = join(tmpdir(), `tln-pglite-snapshot-${process.pid}.tar.gz`)
    await writeFile(path, Buffer.from(await dump.arrayBuffer()))
    process.env.TLN_TEST_PGLITE_SNAPSHOT = path
  } finally {
    await db.close()
  }
}

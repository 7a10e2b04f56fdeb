import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessAlive } from '@tln/db'
import { ServerError } from './errors.ts'

export const LOCK_FILE = 'tln.lock'

/**
 * Takes the embedded data directory for this process. PGlite is PostgreSQL in one process with
 * no lock of its own: two processes writing one directory would corrupt it, so a server and a
 * `tln` command must not open it at once. The lock is a file holding the owner's pid, created
 * exclusively; a lock whose process is gone (a crash, `kill -9`) is taken over. A lock holding
 * our own pid is also stale: in a container the server is pid 1 in every life.
 *
 * @returns a release function (idempotent)
 * @throws ServerError `ERR_DATA_DIR_LOCKED` when a live process holds the directory
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      let released = false
      return () => {
        if (released) return
        released = true
        try {
          unlinkSync(path)
        } catch {
          // Already gone: nothing to release.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number.parseInt(readOwner(path), 10)
      if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
        throw new ServerError('ERR_DATA_DIR_LOCKED', `the data directory ${dataDir} is in use by process ${owner}; embedded storage serves one process at a time, so stop the server first (or use DATABASE_URL for PostgreSQL)`, 'TLN_DATA_DIR')
      }
      try {
        unlinkSync(path)
      } catch {
        // Another process removed it first; try again.
      }
    }
  }
  throw new ServerError('ERR_DATA_DIR_LOCKED', `could not take the lock ${path}; another process is starting on the same data directory`, 'TLN_DATA_DIR')
}

function readOwner(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return ''
  }
}

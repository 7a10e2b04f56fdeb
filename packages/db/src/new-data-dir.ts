import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A new database is made in `<dataDir>/.tln-creating-<pid of the creating process>`, not in the
 * data directory itself: initdb writes `PG_VERSION` early, so a creation killed halfway left a
 * directory that every later start took for a finished database. Inside the data directory rather
 * than beside it, because the data directory is often a mount point (a container volume) whose
 * parent is another file system or not writable, and it already holds the server's `tln.lock`.
 */
export const CREATING_PREFIX = '.tln-creating-'

/** Written into the creating directory once the database in it is complete; only then is it moved. */
export const COMPLETE_MARKER = 'COMPLETE'

/** What a data directory holds once the database is in place: the file moved last. */
const DONE = 'PG_VERSION'

/**
 * Makes sure `dataDir` holds a complete embedded database, creating one when it holds none.
 * `create(dataDir)` runs initdb in a new directory `<dataDir>/.tln-creating-<pid>` named after the
 * process that does it, and answers that directory. It is then marked complete and moved entry by
 * entry into `dataDir`, `PG_VERSION` last: a data directory with `PG_VERSION` is complete, and the
 * next start finishes or undoes whatever was interrupted:
 * - killed while creating: the unmarked creating directory is removed and the creation starts over
 *   (one whose process still runs — a creator orphaned by a killed server — is left to a later start);
 * - killed while moving: the remaining entries of the marked creating directory are moved.
 * @throws Error naming the data directory and the reason: the creation failed (`create`'s message),
 *   or an entry of the new database is in the way in `dataDir` (then nothing is moved)
 */
export async function ensureDatabaseIn(dataDir: string, create: (dataDir: string) => Promise<string>): Promise<void> {
  const creating = creatingDirs(dataDir)
  if (existsSync(join(dataDir, DONE))) {
    // The move ends with PG_VERSION, so what is left of a creation holds nothing the database needs.
    for (const c of creating) if (!c.running) rmSync(c.path, { recursive: true, force: true })
    return
  }
  const complete = creating.find((c) => existsSync(join(c.path, COMPLETE_MARKER)))
  if (complete !== undefined) {
    moveIntoPlace(dataDir, complete.path)
    return
  }
  for (const c of creating) if (!c.running) rmSync(c.path, { recursive: true, force: true })
  let dir: string
  try {
    dir = await create(dataDir)
  } catch (error) {
    // The creator has ended: what it left is removed now, not at the next start.
    for (const c of creatingDirs(dataDir)) if (!c.running) rmSync(c.path, { recursive: true, force: true })
    throw new Error(`could not create the embedded database in ${dataDir}: ${(error as Error).message}`, { cause: error })
  }
  const inTheWay = readdirSync(dir).filter((name) => exists(join(dataDir, name)))
  if (inTheWay.length > 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(
      `could not create the embedded database in ${dataDir}: ${inTheWay.map((name) => join(dataDir, name)).join(', ')} ${inTheWay.length === 1 ? 'is' : 'are'} in the way; ` +
        "a new data directory holds only TLN's files: move them away or set TLN_DATA_DIR to an empty directory",
    )
  }
  writeFileSync(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`)
  syncDir(dir)
  moveIntoPlace(dataDir, dir)
}

/** Moves a complete database's entries into `dataDir`, `PG_VERSION` last, then removes the creating directory. */
function moveIntoPlace(dataDir: string, dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== DONE && name !== COMPLETE_MARKER) renameSync(join(dir, name), join(dataDir, name))
  }
  // The entries' renames reach the disk before the one that says the database is there.
  syncDir(dataDir)
  renameSync(join(dir, DONE), join(dataDir, DONE))
  syncDir(dataDir)
  rmSync(dir, { recursive: true, force: true })
}

interface CreatingDir {
  readonly path: string
  /** Its creator is another live process (an orphaned creator whose server was killed), still writing it. */
  readonly running: boolean
}

function creatingDirs(dataDir: string): CreatingDir[] {
  if (!existsSync(dataDir)) return []
  return readdirSync(dataDir).flatMap((name) => {
    if (!name.startsWith(CREATING_PREFIX)) return []
    const pid = Number(name.slice(CREATING_PREFIX.length))
    return [{ path: join(dataDir, name), running: Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid) }]
  })
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** Whether process `pid` exists (also the server's data-directory lock asks this of its owner). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** fsync of a directory makes the renames and creations in it durable (Linux, macOS; not supported on Windows). */
function syncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

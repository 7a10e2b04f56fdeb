// Creates an embedded database (PGlite's initdb) in a new directory `<DATA_DIR>/<PREFIX><pid>`, named
// after this process so that a later start can tell a creation still running from one that was
// killed (new-data-dir.ts moves it into place once complete), then exits. createDb runs this in a
// short-lived child process: PGlite runs initdb in a second PGlite instance, ≈ 750 MB at the peak,
// and WebAssembly memory is never given back, so a server that created its database itself kept
// ≈ 640 MB of it for its whole life (docs/performance-notes.md).
// Plain JavaScript, so that plain `node` runs it from the bundle, under tsx and under vitest alike.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'

const [dataDir, prefix] = process.argv.slice(2)
try {
  if (dataDir === undefined || prefix === undefined) throw new Error('usage: create-data-dir.mjs DATA_DIR PREFIX')
  const dir = join(dataDir, `${prefix}${process.pid}`)
  mkdirSync(dir)
  // PGlite starts PostgreSQL once after initdb; a small buffer pool keeps that start quick, and
  // the server opening the directory later sets its own.
  const pglite = new PGlite({ dataDir: dir, startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'] })
  await pglite.waitReady
  await pglite.close()
} catch (error) {
  process.stderr.write(`${describe(error)}\n`)
  process.exitCode = 1
}

/**
 * PGlite's file system throws emscripten's `ErrnoError`, which is not an `Error` and carries only
 * emscripten's own errno number: name the ones an operator can act on.
 */
function describe(error) {
  if (error instanceof Error) return error.message
  const names = { 2: 'EACCES: permission denied', 20: 'EEXIST: a file is in the way', 44: 'ENOENT: no such file or directory', 51: 'ENOSPC: no space left on the device', 54: 'ENOTDIR: a file is in the way of a directory', 63: 'EPERM: operation not permitted', 69: 'EROFS: read-only file system' }
  if (error?.name === 'ErrnoError') return names[error.errno] ?? `file system error (emscripten errno ${error.errno})`
  return String(error)
}

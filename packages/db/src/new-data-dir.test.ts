import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMPLETE_MARKER, CREATING_PREFIX, ensureDatabaseIn } from './new-data-dir.ts'

/** Above Linux's largest pid (2^22): no process has it. */
const DEAD_PID = 4_194_305

/** A stand-in for initdb: what PGlite writes, PG_VERSION first as initdb does. */
function fakeDatabase(dir: string): void {
  mkdirSync(dir)
  writeFileSync(join(dir, 'PG_VERSION'), '17\n')
  mkdirSync(join(dir, 'base'))
  writeFileSync(join(dir, 'base', '1'), 'template1')
  mkdirSync(join(dir, 'global'))
  writeFileSync(join(dir, 'postgresql.conf'), '# conf\n')
}

describe('a new embedded data directory is moved into place only when complete', () => {
  let dataDir: string
  let calls: number
  const create = async (d: string): Promise<string> => {
    calls++
    const dir = join(d, `${CREATING_PREFIX}${DEAD_PID - 1}`)
    fakeDatabase(dir)
    return dir
  }
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tln-new-data-dir-'))
    writeFileSync(join(dataDir, 'tln.lock'), `${process.pid}\n`)
    calls = 0
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  it('creates a database beside the lock file, PG_VERSION and all, and leaves no creating directory', async () => {
    await ensureDatabaseIn(dataDir, create)
    expect(calls).toBe(1)
    expect(readdirSync(dataDir).sort()).toEqual(['PG_VERSION', 'base', 'global', 'postgresql.conf', 'tln.lock'])
    expect(readFileSync(join(dataDir, 'base', '1'), 'utf8')).toBe('template1')
  })

  it('opens a directory holding PG_VERSION without creating, and removes what a finished move left', async () => {
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n')
    // Killed after the last rename, before the empty creating directory was removed.
    mkdirSync(join(dataDir, `${CREATING_PREFIX}${DEAD_PID}`))
    writeFileSync(join(dataDir, `${CREATING_PREFIX}${DEAD_PID}`, COMPLETE_MARKER), '')
    await ensureDatabaseIn(dataDir, create)
    expect(calls).toBe(0)
    expect(existsSync(join(dataDir, `${CREATING_PREFIX}${DEAD_PID}`))).toBe(false)
  })

  it('starts over after a creation killed halfway: the unmarked directory (with PG_VERSION already in it) is removed, never opened', async () => {
    const killed = join(dataDir, `${CREATING_PREFIX}${DEAD_PID}`)
    mkdirSync(killed)
    writeFileSync(join(killed, 'PG_VERSION'), '17\n')
    mkdirSync(join(killed, 'base'))
    await ensureDatabaseIn(dataDir, create)
    expect(calls).toBe(1)
    expect(existsSync(killed)).toBe(false)
    expect(readFileSync(join(dataDir, 'base', '1'), 'utf8')).toBe('template1')
  })

  it('finishes a move killed halfway: the marked directory\'s remaining entries follow, PG_VERSION last', async () => {
    const moving = join(dataDir, `${CREATING_PREFIX}${DEAD_PID}`)
    fakeDatabase(moving)
    writeFileSync(join(moving, COMPLETE_MARKER), '')
    // 'base' had been moved when the process was killed; 'global', 'postgresql.conf' and PG_VERSION had not.
    rmSync(join(moving, 'base'), { recursive: true })
    mkdirSync(join(dataDir, 'base'))
    writeFileSync(join(dataDir, 'base', '1'), 'moved before the kill')
    await ensureDatabaseIn(dataDir, create)
    expect(calls).toBe(0)
    expect(readdirSync(dataDir).sort()).toEqual(['PG_VERSION', 'base', 'global', 'postgresql.conf', 'tln.lock'])
    expect(readFileSync(join(dataDir, 'base', '1'), 'utf8')).toBe('moved before the kill')
  })

  it('leaves alone the directory of a creator that still runs (orphaned by a killed server) and creates its own', async () => {
    const running = join(dataDir, `${CREATING_PREFIX}${process.ppid}`)
    mkdirSync(running)
    writeFileSync(join(running, 'PG_VERSION'), '17\n')
    await ensureDatabaseIn(dataDir, create)
    expect(calls).toBe(1)
    expect(existsSync(join(running, 'PG_VERSION'))).toBe(true)
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true)
  })

  it('moves nothing when an entry of the new database is in the way, and says which and what to do', async () => {
    writeFileSync(join(dataDir, 'global'), 'an operator\'s file')
    await expect(ensureDatabaseIn(dataDir, create)).rejects.toThrow(
      `could not create the embedded database in ${dataDir}: ${join(dataDir, 'global')} is in the way; a new data directory holds only TLN's files: move them away or set TLN_DATA_DIR to an empty directory`,
    )
    expect(readdirSync(dataDir).sort()).toEqual(['global', 'tln.lock'])
    expect(readFileSync(join(dataDir, 'global'), 'utf8')).toBe('an operator\'s file')
  })

  it('names the data directory and the reason when the creation fails, and removes what the failed creator left', async () => {
    const failing = async (d: string): Promise<string> => {
      mkdirSync(join(d, `${CREATING_PREFIX}${DEAD_PID}`))
      writeFileSync(join(d, `${CREATING_PREFIX}${DEAD_PID}`, 'PG_VERSION'), '17\n')
      throw new Error('ENOSPC: no space left on the device')
    }
    await expect(ensureDatabaseIn(dataDir, failing)).rejects.toThrow(`could not create the embedded database in ${dataDir}: ENOSPC: no space left on the device`)
    expect(readdirSync(dataDir)).toEqual(['tln.lock'])
  })
})

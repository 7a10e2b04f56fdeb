import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LOCK_FILE, lockDataDir } from '../src/data-dir-lock.ts'
import { ServerError } from '../src/errors.ts'

describe('lockDataDir', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tln-lock-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('holds the directory until released', () => {
    const release = lockDataDir(dir)
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true)
    release()
    release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
  })

  it('refuses a directory that a live process holds (embedded storage serves one process)', () => {
    // The parent of the test process is alive and is not us.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`)
    let caught: unknown
    try {
      lockDataDir(dir)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ServerError)
    expect((caught as ServerError).code).toBe('ERR_DATA_DIR_LOCKED')
    expect((caught as ServerError).message).toContain(String(process.ppid))
  })

  it('takes over the lock of a process that is gone (a crash)', () => {
    writeFileSync(join(dir, LOCK_FILE), '4194304\n')
    const release = lockDataDir(dir)
    release()
  })
})

import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

// What node sees when `pnpm tln` starts it: a module preloaded before tln.mjs prints the malloc
// settings and its own PID, then ends the process before anything is bundled or opened.
const REPORT = `--import=data:text/javascript,${encodeURIComponent('console.log(JSON.stringify({arenas:process.env.MALLOC_ARENA_MAX??null,mmapThreshold:process.env.MALLOC_MMAP_THRESHOLD_??null,pid:process.pid}));process.exit(0)')}`

function startedWith(env: Record<string, string>): { arenas: string | null; mmapThreshold: string | null; pid: number; shellPid: number } {
  const base: Record<string, string | undefined> = { ...process.env }
  for (const name of ['DATABASE_URL', 'TLN_DATA_DIR', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'NODE_OPTIONS']) delete base[name]
  const result = spawnSync('sh', ['apps/server/bin/tln-start.sh', '--help'], { cwd: ROOT, env: { ...base, NODE_OPTIONS: REPORT, ...env }, encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return { ...JSON.parse(result.stdout.trim()), shellPid: result.pid }
}

// glibc reads its malloc tunables only at process start (issue 7: server RSS < 300 MB under load;
// docs/operator-guide.en.md, "Memory").
describe('the start script (pnpm tln)', () => {
  it('gives node two malloc arenas and, on embedded storage, a 16 KiB mmap threshold', () => {
    expect(startedWith({})).toMatchObject({ arenas: '2', mmapThreshold: '16384' })
    expect(startedWith({ TLN_DATA_DIR: '/tmp/tln-start-test' })).toMatchObject({ arenas: '2', mmapThreshold: '16384' })
  })

  it('leaves the mmap threshold to glibc on PostgreSQL, where it saves nothing', () => {
    expect(startedWith({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' })).toMatchObject({ arenas: '2', mmapThreshold: null })
  })

  it("keeps the operator's own values", () => {
    expect(startedWith({ MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '131072' })).toMatchObject({ arenas: '4', mmapThreshold: '131072' })
  })

  it('becomes node in the process it was started as, so signals reach the server itself', () => {
    const started = startedWith({})
    expect(started.pid).toBe(started.shellPid)
  })
})

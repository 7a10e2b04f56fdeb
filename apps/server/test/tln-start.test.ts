import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

// What node sees when `pnpm tln` starts it: a module preloaded before tln.mjs makes young garbage
// until V8's new space has grown to its largest, prints that size, the malloc settings and its own
// PID, then ends the process before anything is bundled or opened.
const REPORT_SOURCE = `
import v8 from 'node:v8'
let newSpace = 0
let young = []
for (let i = 0; i < 1500000; i++) {
  young.push({ i })
  if (young.length > 50000) young = []
  if (i % 1000 === 0) newSpace = Math.max(newSpace, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)
}
console.log(JSON.stringify({ arenas: process.env.MALLOC_ARENA_MAX ?? null, mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null, semiSpace: (process.env.NODE_OPTIONS ?? '').match(/--max-semi-space-size=\\d+/g) ?? [], newSpaceMb: newSpace / 1048576, pid: process.pid }))
process.exit(0)`
const REPORT = `--import=data:text/javascript,${encodeURIComponent(REPORT_SOURCE)}`

interface Started { arenas: string | null; mmapThreshold: string | null; semiSpace: string[]; newSpaceMb: number; pid: number; shellPid: number }

function startedWith(env: Record<string, string>, nodeOptions = ''): Started {
  const base: Record<string, string | undefined> = { ...process.env }
  for (const name of ['DATABASE_URL', 'TLN_DATA_DIR', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'NODE_OPTIONS']) delete base[name]
  const result = spawnSync('sh', ['apps/server/bin/tln-start.sh', '--help'], { cwd: ROOT, env: { ...base, NODE_OPTIONS: `${nodeOptions}${REPORT}`, ...env }, encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return { ...JSON.parse(result.stdout.trim()), shellPid: result.pid }
}

// glibc reads its malloc tunables only at process start (issue 7: server RSS < 300 MB under load;
// docs/operator-guide.en.md, "Memory").
describe('the start script (pnpm tln)', () => {
  it('gives node two malloc arenas and, on embedded storage, a 16 KiB mmap threshold and an 8 MB young generation', () => {
    const environments: Array<Record<string, string>> = [{}, { TLN_DATA_DIR: '/tmp/tln-start-test' }]
    for (const env of environments) {
      const started = startedWith(env)
      expect(started).toMatchObject({ arenas: '2', mmapThreshold: '16384', semiSpace: ['--max-semi-space-size=4'] })
      // Two semi-spaces of 4 MB: however much young garbage, new space never grows past 8 MB.
      expect(started.newSpaceMb).toBeLessThanOrEqual(8)
    }
  })

  it("leaves the mmap threshold to glibc and the young generation to V8 on PostgreSQL, where the server's peak is under budget", () => {
    expect(startedWith({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' })).toMatchObject({ arenas: '2', mmapThreshold: null, semiSpace: [] })
  })

  it("keeps the operator's own values: theirs come after ours, and for V8 flags the last one wins", () => {
    expect(startedWith({ MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '131072' }, '--max-semi-space-size=16 ')).toMatchObject({
      arenas: '4', mmapThreshold: '131072', semiSpace: ['--max-semi-space-size=4', '--max-semi-space-size=16'],
    })
  })

  it('becomes node in the process it was started as, so signals reach the server itself', () => {
    const started = startedWith({})
    expect(started.pid).toBe(started.shellPid)
  })
})

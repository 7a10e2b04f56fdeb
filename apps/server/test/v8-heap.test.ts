import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingFlag } from '../bin/v8-heap.mjs'

const ROOT = resolve(import.meta.dirname, '../../..')

// The launcher's V8 heap growth (issue 7: server RSS < 300 MB under load; docs/performance-notes.md).
describe('TLN_HEAP_GROWING_PERCENT', () => {
  it('defaults to letting the old generation grow to three times what is live', () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(200)
    expect(heapGrowingFlag({})).toBe('--heap-growing-percent=200')
    expect(heapGrowingFlag({ TLN_HEAP_GROWING_PERCENT: '' })).toBe('--heap-growing-percent=200')
  })

  it('takes a whole number of percent from 10 to 400, and 0 for V8 own adaptive growth', () => {
    expect(heapGrowingFlag({ TLN_HEAP_GROWING_PERCENT: '10' })).toBe('--heap-growing-percent=10')
    expect(heapGrowingFlag({ TLN_HEAP_GROWING_PERCENT: ' 400 ' })).toBe('--heap-growing-percent=400')
    expect(heapGrowingFlag({ TLN_HEAP_GROWING_PERCENT: '0' })).toBeUndefined()
  })

  it('refuses anything else, naming the variable and the rule', () => {
    for (const bad of ['9', '401', '50.5', '-1', 'fifty', '1e2', '--heap-growing-percent=1']) {
      expect(() => heapGrowingFlag({ TLN_HEAP_GROWING_PERCENT: bad }), bad).toThrow(/TLN_HEAP_GROWING_PERCENT must be 0 .* from 10 to 400, got/)
    }
  })

  it('makes the launcher exit 1 with that message before starting anything', () => {
    const result = spawnSync(process.execPath, ['apps/server/bin/tln.mjs', '--help'], { cwd: ROOT, env: { ...process.env, TLN_HEAP_GROWING_PERCENT: 'lots' }, encoding: 'utf8' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('tln: TLN_HEAP_GROWING_PERCENT must be 0')
    expect(result.stdout).toBe('')
  })
})

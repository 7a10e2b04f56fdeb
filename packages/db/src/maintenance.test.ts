import { describe, expect, it } from 'vitest'
import { chooseNeverAnalyzed, chooseTables, type TableStats, type Thresholds } from './maintenance.ts'

// PostgreSQL's defaults (PostgreSQL 18 docs, runtime-config-vacuum.html "Automatic Vacuuming").
const DEFAULTS: Thresholds = { analyzeBase: 50, analyzeScale: 0.1, vacuumBase: 50, vacuumScale: 0.2, insertBase: 1000, insertScale: 0.2 }

function table(name: string, over: Partial<TableStats> = {}): TableStats {
  return { schema: 'public', table: name, reltuples: 1000, n_mod_since_analyze: 0, n_dead_tup: 0, n_ins_since_vacuum: 0, n_live_tup: 1000, analyzed: true, bytes: 8192, vacuum_bytes: 0, autovacuum_disabled: false, ...over }
}

const commands = (r: ReturnType<typeof chooseTables>) => r.chosen.map((c) => [c.table.table, c.command])

describe('chooseTables: autovacuum thresholds (routine-vacuuming.html "The Autovacuum Daemon")', () => {
  it('analyses past 50 + 10 % of reltuples changed rows, not at it', () => {
    expect(commands(chooseTables([table('at', { n_mod_since_analyze: 150 }), table('past', { n_mod_since_analyze: 151 })], DEFAULTS))).toEqual([['past', 'analyze']])
  })

  it('counts a never-analysed table (reltuples -1) as empty', () => {
    expect(commands(chooseTables([table('new', { reltuples: -1, n_mod_since_analyze: 51 })], DEFAULTS))).toEqual([['new', 'analyze']])
  })

  it('vacuums past 50 + 20 % dead rows, or past 1000 + 20 % rows inserted since the last vacuum', () => {
    const r = chooseTables([table('dead', { n_dead_tup: 251 }), table('inserted', { n_ins_since_vacuum: 1201 }), table('neither', { n_dead_tup: 250, n_ins_since_vacuum: 1200 })], DEFAULTS)
    expect(commands(r)).toEqual([['dead', 'vacuum analyze'], ['inserted', 'vacuum analyze']])
  })

  it('orders the tables smallest first', () => {
    const r = chooseTables([table('large', { bytes: 3e6, n_mod_since_analyze: 500 }), table('small', { bytes: 1e4, n_mod_since_analyze: 500 })], DEFAULTS)
    expect(commands(r).map(([name]) => name)).toEqual(['small', 'large'])
  })

  it('over the PGlite cap, a table due for VACUUM is only analysed and reported as too large', () => {
    const big = table('big', { n_ins_since_vacuum: 5000, n_mod_since_analyze: 5000, vacuum_bytes: 2e9 })
    const r = chooseTables([big], DEFAULTS, { vacuumMaxBytes: 1e8 })
    expect(commands(r)).toEqual([['big', 'analyze']])
    expect(r.tooLarge.map((t) => t.table)).toEqual(['big'])
    expect(commands(chooseTables([big], DEFAULTS))).toEqual([['big', 'vacuum analyze']])
  })

  it('analyses a table with rows that was never analysed, though under the threshold (38 org nodes: no autovacuum ever)', () => {
    const r = chooseTables([table('org', { reltuples: -1, n_live_tup: 38, n_mod_since_analyze: 38, analyzed: false }), table('empty', { reltuples: -1, n_live_tup: 0, analyzed: false })], DEFAULTS)
    expect(commands(r)).toEqual([['org', 'analyze']])
    expect(r.chosen[0]!.reason).toBe('never analysed, 38 rows (autovacuum analyses past 50 changed rows)')
    expect(commands(chooseTables([table('org', { reltuples: 38, n_live_tup: 38, n_mod_since_analyze: 10 })], DEFAULTS))).toEqual([])
  })
})

describe('chooseNeverAnalyzed: the tables autovacuum looks after but never analyses', () => {
  it('analyses a never-analysed table with rows under the threshold; leaves one past it to autovacuum, and empty or analysed ones alone', () => {
    const r = chooseNeverAnalyzed([
      table('past', { reltuples: -1, n_live_tup: 2000, n_mod_since_analyze: 2000, n_ins_since_vacuum: 2000, analyzed: false }),
      table('org', { reltuples: -1, n_live_tup: 38, n_mod_since_analyze: 38, n_ins_since_vacuum: 38, analyzed: false }),
      table('empty', { reltuples: -1, n_live_tup: 0, analyzed: false }),
      table('analysed', { n_live_tup: 38, n_mod_since_analyze: 0 }),
    ], DEFAULTS)
    expect(r.map((c) => [c.table.table, c.command])).toEqual([['org', 'analyze']])
  })
})

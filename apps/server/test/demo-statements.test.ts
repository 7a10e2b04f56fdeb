import { validateStatementBatch } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { EXTENSIONS, VERBS } from '../src/seed/demo-program.ts'
import { demoStatements } from '../src/seed/demo-statements.ts'
import { KECAMATAN, SCHOOLS, TEACHERS } from '../src/seed/lombok-tengah.ts'

const statements = demoStatements()
const ext = (s: Record<string, unknown>, key: string): unknown => (s.context as { extensions: Record<string, unknown> }).extensions[key]

describe('demo statements', () => {
  it('are the same on every run, so fixed ids always carry the same content', () => {
    expect(demoStatements()).toEqual(statements)
  })

  it('are a few thousand, with unique ids', () => {
    expect(statements.length).toBeGreaterThan(2500)
    expect(statements.length).toBeLessThan(5000)
    expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length)
  })

  it('are valid xAPI 1.0.3 statements (the validator the LRS applies)', () => {
    expect(() => validateStatementBatch(statements, { version: '1.0.3' })).not.toThrow()
  })

  it('run over February to July 2026, sorted by timestamp', () => {
    const times = statements.map((s) => Date.parse(s.timestamp))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(statements[0]!.timestamp >= '2026-02-01').toBe(true)
    expect(statements[statements.length - 1]!.timestamp < '2026-08-01').toBe(true)
  })

  it('use every verb of the TLN statement table', () => {
    const used = new Set(statements.map((s) => (s.verb as { id: string }).id))
    for (const verb of Object.values(VERBS)) expect(used).toContain(verb.id)
  })

  it('cover the 60 teachers, every school and all 12 kecamatan', () => {
    const actors = new Set(statements.map((s) => (s.actor as { account: { name: string } }).account.name))
    expect(actors.size).toBe(60)
    expect(TEACHERS).toHaveLength(60)
    expect(new Set(statements.map((s) => ext(s, EXTENSIONS.npsn))).size).toBe(SCHOOLS.length)
    expect(new Set(statements.map((s) => ext(s, EXTENSIONS.kecamatan))).size).toBe(12)
    expect(KECAMATAN).toHaveLength(12)
  })

  it('carry registration, program and tier grouping, and the profile category in every context', () => {
    for (const s of statements) {
      const context = s.context as { registration: string; contextActivities: { grouping: Array<{ id: string }>; category: unknown[] } }
      expect(context.registration).toMatch(/^[0-9a-f-]{36}$/)
      expect(context.contextActivities.grouping.map((a) => a.id)).toHaveLength(2)
      expect(context.contextActivities.category).toHaveLength(1)
    }
  })

  it('name actors by their e-training account', () => {
    for (const s of statements) expect((s.actor as { account: { homePage: string } }).account.homePage).toBe('https://elearning.bppaudntb.example')
  })
})

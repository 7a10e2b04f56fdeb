import type { Statement } from '@xapi/xapi'
import { connectXapi, type XAPI } from './xapi-package.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestLrs, listen, type TestLrs } from '../../packages/lrs/test/test-lrs.ts'

/**
 * An independent xAPI client (@xapi/xapi, the ADL-community JavaScript library) against the
 * running LRS over real HTTP: send, query, page and void.
 */
let t: TestLrs
let stop: () => Promise<void>
let xapi: XAPI

beforeAll(async () => {
  t = await createTestLrs({ maxLimit: 20 })
  const listening = await listen(t)
  stop = listening.stop
  xapi = await connectXapi(t.lrs, listening.base, 'xapi-client interop')
})

afterAll(async () => {
  await stop()
  await t.close()
})

const teacher = { objectType: 'Agent' as const, name: 'Lale Sumiati', mbox: 'mailto:lale.sumiati@paud.example' }

function submitted(n: number): Statement {
  return {
    actor: teacher,
    verb: { id: 'http://activitystrea.ms/schema/1.0/submit', display: { 'en-US': 'submitted' } },
    object: { objectType: 'Activity', id: `https://tln.example/tasks/rpph/${n}`, definition: { type: 'http://id.tincanapi.com/activitytype/school-assignment' } },
  }
}

describe('@xapi/xapi against TLN', () => {
  it('reads /about', async () => {
    const about = await xapi.getAbout()
    expect(about.data.version).toContain('1.0.3')
  })

  it('sends one statement and reads it back by id', async () => {
    const sent = await xapi.sendStatement({ statement: submitted(1) })
    const id = sent.data[0]!
    const got = await xapi.getStatement({ statementId: id })
    expect(got.data.id).toBe(id)
    expect(got.data.actor).toMatchObject({ mbox: teacher.mbox })
  })

  it('sends a batch, queries by agent and verb, and pages with more', async () => {
    const statements = Array.from({ length: 45 }, (_, i) => submitted(100 + i))
    const sent = await xapi.sendStatements({ statements })
    expect(sent.data).toHaveLength(45)

    const seen: string[] = []
    let page = await xapi.getStatements({ agent: teacher, verb: 'http://activitystrea.ms/schema/1.0/submit', limit: 20 })
    seen.push(...page.data.statements.map((s: Statement) => s.id!))
    while (page.data.more) {
      page = (await xapi.getMoreStatements({ more: page.data.more })) as typeof page
      seen.push(...page.data.statements.map((s: Statement) => s.id!))
    }
    expect(seen).toHaveLength(46)
    expect(new Set(seen).size).toBe(46)
  })

  it('voids a statement, after which it is found only as voided', async () => {
    const [id] = (await xapi.sendStatement({ statement: submitted(999) })).data
    await xapi.voidStatement({ actor: teacher, statementId: id! })
    await expect(xapi.getStatement({ statementId: id! })).rejects.toThrow()
    const voided = await xapi.getVoidedStatement({ voidedStatementId: id! })
    expect(voided.data.id).toBe(id)
  })
})

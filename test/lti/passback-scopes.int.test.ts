import { SCOPE } from '@tln/lti-v1p3'
import type { PlatformRecord, ScoreToPass } from '@tln/lti-tool'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'
import { drainPassbacks } from './passback-helpers.ts'
import { connectSimulator, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * The grade passback asks only for what the launch's AGS endpoint claim granted (AGS 2.0 §3.1:
 * "scope: An array of scopes the tool may ask an access token for"). The scopes travel with the
 * passback target into the job (`grade_passback.granted_scopes`); a job without the `score` grant
 * posts nothing and ends `failed` with `ERR_PASSBACK_SCOPE_NOT_GRANTED`.
 */
let sim: PlatformSimulator
let tln: ToolServer
let platform: PlatformRecord

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer()
  platform = await connectSimulator(sim, tln)
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

let seq = 0
function score(target: ScoreToPass['target']): ScoreToPass {
  seq += 1
  return {
    platform, userSub: 'user-17', scoreGiven: 70 + seq, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
    timestamp: new Date(Date.UTC(2026, 10, 29, 2, 0, seq)), target,
  }
}
const enqueue = (s: ScoreToPass) => tln.db.knex.transaction((trx) => tln.tool.enqueueScore(trx, s))
/** Retries due at once: a transient failure of a call to the simulator under load costs an attempt, not the test. */
const drain = () => drainPassbacks(tln.tool)
const postsOf = (s: ScoreToPass) => sim.double.services.scores.filter((p) => p.body.timestamp === s.timestamp.toISOString())
/** The scopes of every token the platform issued since `from` (the tool's cache may reuse earlier ones). */
const scopesAskedSince = (from: number): string[][] => [...sim.double.services.issuedTokens.entries()].filter(([token]) => Number(token.slice(3)) > from).map(([, scopes]) => scopes)
/** Forget cached tokens, so each case asks the platform for the scopes it needs. */
beforeEach(async () => { await tln.db.knex('lti_access_token').delete() })

describe('grade passback asks only for the scopes the launch granted (AGS 2.0 §3.1)', () => {
  it('keeps the granted scopes on the job', async () => {
    const granted = [SCOPE.score, SCOPE.lineItemReadOnly]
    const id = await enqueue(score({ lineItemsUrl: sim.double.services.lineItemsUrl, label: 'RPPH', resourceLinkId: 'rl-kept', grantedScopes: granted }))
    expect((await tln.tool.passbacks.find(id))!.target).toMatchObject({ grantedScopes: granted })
    await tln.db.knex('grade_passback').where({ id }).delete()
  })

  it('posts no score where the claim did not grant `score`: no token asked, job failed with ERR_PASSBACK_SCOPE_NOT_GRANTED', async () => {
    const requests = sim.state.serviceRequests.length
    const tokens = sim.double.services.tokenRequests
    const s = score({ lineItemUrl: `${sim.double.services.lineItemsUrl.replace(/\?.*$/, '')}/9/lineitem`, grantedScopes: [SCOPE.lineItem, SCOPE.resultReadOnly] })
    const id = await enqueue(s)
    expect(await drain()).toMatchObject({ failed: 1, sent: 0, retry: 0 })
    expect(postsOf(s)).toHaveLength(0)
    expect(sim.double.services.tokenRequests).toBe(tokens)
    expect(sim.state.serviceRequests).toHaveLength(requests)
    const job = (await tln.tool.listPassbacks({ tenant: 'default', status: 'failed' })).find((j) => j.id === id)!
    expect(job.lastError).toMatchObject({ code: 'ERR_PASSBACK_SCOPE_NOT_GRANTED', message: expect.stringContaining(SCOPE.score) })
    expect(job.attempts).toBe(1)
  })

  it('finds the line item with `lineitem.readonly` when that is all it granted, and posts with `score`: never asks for `lineitem`', async () => {
    const existing = `${sim.double.services.lineItemsUrl.replace(/\/lineitems\?.*$/, '')}/lineitems/41/lineitem?type_id=7`
    sim.double.services.lineItems.push({ id: existing, label: 'Promes', scoreMaximum: 100, resourceLinkId: 'rl-readonly' })
    const from = sim.double.services.tokenRequests
    const s = score({ lineItemsUrl: sim.double.services.lineItemsUrl, label: 'Promes', resourceLinkId: 'rl-readonly', grantedScopes: [SCOPE.score, SCOPE.lineItemReadOnly] })
    const id = await enqueue(s)
    expect(await drain()).toMatchObject({ sent: 1 })
    expect(postsOf(s)).toMatchObject([{ lineItemId: existing }])
    expect(await tln.tool.passbacks.find(id)).toMatchObject({ status: 'sent', lineItemUrl: existing })
    expect(scopesAskedSince(from).sort()).toEqual([[SCOPE.lineItemReadOnly], [SCOPE.score]])
  })

  it('does not create a line item when only `lineitem.readonly` was granted and none exists: failed, the container never POSTed', async () => {
    const items = sim.double.services.lineItems.length
    const s = score({ lineItemsUrl: sim.double.services.lineItemsUrl, label: 'RPPM', resourceLinkId: 'rl-none', grantedScopes: [SCOPE.score, SCOPE.lineItemReadOnly] })
    const id = await enqueue(s)
    expect(await drain()).toMatchObject({ failed: 1 })
    expect(sim.double.services.lineItems).toHaveLength(items)
    expect(sim.state.serviceRequests.filter((r) => r.method === 'POST' && /\/lineitems(\?|$)/.test(r.url))).toHaveLength(0)
    expect((await tln.tool.passbacks.find(id))!.lastError).toMatchObject({ code: 'ERR_PASSBACK_SCOPE_NOT_GRANTED', message: expect.stringContaining('may not create') })
    expect(postsOf(s)).toHaveLength(0)
  })

  it('a retry of a task grade\'s job refused for the scope takes the grants of the assignment\'s latest launch (the LMS now grants `score`)', async () => {
    const knex = tln.db.knex
    const item = `${sim.double.services.lineItemsUrl.replace(/\/lineitems\?.*$/, '')}/lineitems/43/lineitem?type_id=7`
    sim.double.services.lineItems.push({ id: item, label: 'RPPH', scoreMaximum: 100, resourceLinkId: 'rl-retry' })
    const target = (grantedScopes: string[]) => ({ lineItemUrl: item, grantedScopes })
    const teacher = await tln.tool.users.upsert({ tenantId: platform.tenantId, issuer: platform.issuer, sub: 'user-17', role: 'teacher', name: 'Siti' })
    const task = await knex('performance_task').where({ tenant_id: platform.tenantId }).first('id')
    const [assignment] = await knex('task_assignment').insert({ tenant_id: platform.tenantId, task_id: task.id, user_id: teacher.id, platform_id: platform.id, context_key: 'course-retry', passback_target: JSON.stringify(target([SCOPE.lineItem])) }).returning('id')
    const [submission] = await knex('task_submission').insert({ tenant_id: platform.tenantId, assignment_id: assignment.id, version: 1, kind: 'url', url: 'https://blog.example/rpph', statement_id: '00000000-0000-4000-8000-000000000001' }).returning('id')
    const s = score(target([SCOPE.lineItem]))
    const id = await enqueue(s)
    await knex('task_grade').insert({ tenant_id: platform.tenantId, submission_id: submission.id, grader_user_id: teacher.id, decision: 'accepted', levels: '{}', passback_id: id })
    expect(await drain()).toMatchObject({ failed: 1 })
    expect((await tln.tool.passbacks.find(id))!.lastError).toMatchObject({ code: 'ERR_PASSBACK_SCOPE_NOT_GRANTED' })

    // The LMS administrator allowed grade passback; the teacher's next launch stored the new claim on the assignment.
    await knex('task_assignment').where({ id: assignment.id }).update({ passback_target: JSON.stringify(target([SCOPE.lineItem, SCOPE.score])) })
    expect((await tln.tool.retryPassback(id)).target).toMatchObject({ grantedScopes: [SCOPE.lineItem, SCOPE.score] })
    expect(await drain()).toMatchObject({ sent: 1 })
    expect(postsOf(s)).toHaveLength(1)
  })

  it('finds or creates the line item with `lineitem` and posts with `score` when both were granted', async () => {
    const from = sim.double.services.tokenRequests
    const s = score({ lineItemsUrl: sim.double.services.lineItemsUrl, label: 'Prota', resourceLinkId: 'rl-manage', grantedScopes: [SCOPE.lineItem, SCOPE.score] })
    await enqueue(s)
    expect(await drain()).toMatchObject({ sent: 1 })
    expect(sim.double.services.lineItems.find((li) => li.resourceLinkId === 'rl-manage')).toMatchObject({ label: 'Prota' })
    expect(postsOf(s)).toHaveLength(1)
    expect(scopesAskedSince(from).sort()).toEqual([[SCOPE.lineItem], [SCOPE.score]])
  })
})

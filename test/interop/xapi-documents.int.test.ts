import { connectXapi, type XAPI } from './xapi-package.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestLrs, listen, type TestLrs } from '../../packages/lrs/test/test-lrs.ts'

/**
 * An independent xAPI client (@xapi/xapi) against the running LRS over real HTTP: the State,
 * Activity Profile, Agent Profile, Agents and Activities calls (xAPI 1.0.3 Communication 2.3–2.7).
 */
let t: TestLrs
let stop: () => Promise<void>
let xapi: XAPI

beforeAll(async () => {
  t = await createTestLrs()
  const listening = await listen(t)
  stop = listening.stop
  xapi = await connectXapi(t.lrs, listening.base, 'xapi-documents interop')
})

afterAll(async () => {
  await stop()
  await t.close()
})

const teacher = { objectType: 'Agent' as const, name: 'Lale Sumiati', mbox: 'mailto:lale.sumiati@paud.example' }
const activityId = 'https://tln.example/modules/perencanaan-pembelajaran'
const registration = '6f1c3a6e-2b0e-4b8e-9a57-0c8c1f3d2a11'

describe('@xapi/xapi document calls against TLN', () => {
  it('sets, gets, merges, lists and deletes State', async () => {
    await xapi.setState({ agent: teacher, activityId, stateId: 'progress', registration, state: { page: 3 } })
    expect((await xapi.getState({ agent: teacher, activityId, stateId: 'progress', registration })).data).toEqual({ page: 3 })

    await xapi.createState({ agent: teacher, activityId, stateId: 'progress', registration, state: { quiz: 'done' } })
    const merged = await xapi.getState({ agent: teacher, activityId, stateId: 'progress', registration })
    expect(merged.data).toEqual({ page: 3, quiz: 'done' })
    expect(merged.headers.etag).toMatch(/^"[0-9a-f]{40}"$/)

    await xapi.setState({ agent: teacher, activityId, stateId: 'bookmark', registration, state: { at: '4.2' } })
    expect([...(await xapi.getStates({ agent: teacher, activityId, registration })).data].sort()).toEqual(['bookmark', 'progress'])

    await xapi.deleteState({ agent: teacher, activityId, stateId: 'bookmark', registration, etag: (await xapi.getState({ agent: teacher, activityId, stateId: 'bookmark', registration })).headers.etag })
    expect((await xapi.getStates({ agent: teacher, activityId, registration })).data).toEqual(['progress'])

    await xapi.deleteStates({ agent: teacher, activityId, registration })
    expect((await xapi.getStates({ agent: teacher, activityId, registration })).data).toEqual([])
  })

  it('creates an Activity Profile with If-None-Match, replaces it with If-Match, and is refused a stale ETag', async () => {
    await xapi.setActivityProfile({ activityId, profileId: 'rubric', profile: { criteria: 4 }, etag: '*', matchHeader: 'If-None-Match' })
    const first = await xapi.getActivityProfile({ activityId, profileId: 'rubric' })
    expect(first.data).toEqual({ criteria: 4 })

    await xapi.setActivityProfile({ activityId, profileId: 'rubric', profile: { criteria: 5 }, etag: first.headers.etag, matchHeader: 'If-Match' })
    expect((await xapi.getActivityProfile({ activityId, profileId: 'rubric' })).data).toEqual({ criteria: 5 })

    await expect(xapi.setActivityProfile({ activityId, profileId: 'rubric', profile: { criteria: 6 }, etag: first.headers.etag, matchHeader: 'If-Match' })).rejects.toThrow()
    expect((await xapi.getActivityProfiles({ activityId })).data).toEqual(['rubric'])

    await xapi.deleteActivityProfile({ activityId, profileId: 'rubric', etag: (await xapi.getActivityProfile({ activityId, profileId: 'rubric' })).headers.etag })
    await expect(xapi.getActivityProfile({ activityId, profileId: 'rubric' })).rejects.toThrow()
  })

  it('stores an Agent Profile, merges into it, and lists it', async () => {
    await xapi.setAgentProfile({ agent: teacher, profileId: 'preferences', profile: { language: 'id' }, etag: '*', matchHeader: 'If-None-Match' })
    await xapi.createAgentProfile({ agent: teacher, profileId: 'preferences', profile: { textSize: 'large' } })
    expect((await xapi.getAgentProfile({ agent: teacher, profileId: 'preferences' })).data).toEqual({ language: 'id', textSize: 'large' })
    expect((await xapi.getAgentProfiles({ agent: teacher })).data).toEqual(['preferences'])
    await xapi.deleteAgentProfile({ agent: teacher, profileId: 'preferences' })
    expect((await xapi.getAgentProfiles({ agent: teacher })).data).toEqual([])
  })

  it('reads the Person for an Agent and an Activity', async () => {
    await xapi.sendStatement({ statement: { actor: teacher, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' }, object: { objectType: 'Activity', id: activityId } } })
    const person = await xapi.getAgent({ agent: { mbox: teacher.mbox } })
    expect(person.data).toMatchObject({ objectType: 'Person', name: ['Lale Sumiati'], mbox: [teacher.mbox] })
    const activity = await xapi.getActivity({ activityId })
    expect(activity.data).toMatchObject({ objectType: 'Activity', id: activityId })
  })
})

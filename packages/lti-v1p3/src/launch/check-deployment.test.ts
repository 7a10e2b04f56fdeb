import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import type { Platform } from '../platform.ts'
import { MemoryPlatformStore } from '../testing/memory-stores.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkDeployment } from './check-deployment.ts'

const platform = { issuer: 'https://lms.example.org', clientId: 'tln' } as Platform
const store = new MemoryPlatformStore()
store.add(platform, ['d1', 'd2'])

describe('checkDeployment (LTI Core 1.3 §5.3.3)', () => {
  it.each(['d1', 'd2'])('accepts known deployment %s (several per registration)', async (id) =>
    expect(await checkDeployment(verified({ [CLAIM.deploymentId]: id }), platform, store)).toBe(id))
  it('rejects an unknown deployment', async () =>
    expect(checkDeployment(verified({ [CLAIM.deploymentId]: 'd3' }), platform, store)).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_DEPLOYMENT' }))
  it('rejects a missing deployment_id ("REQUIRED")', async () =>
    expect(checkDeployment(verified({}), platform, store)).rejects.toMatchObject({ code: 'ERR_LTI_MISSING_CLAIM' }))
  it('does not accept a deployment of another registration of the same issuer', async () => {
    const other = { ...platform, clientId: 'other' }
    store.add(other, ['d9'])
    await expect(checkDeployment(verified({ [CLAIM.deploymentId]: 'd9' }), platform, store)).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_DEPLOYMENT' })
  })
})

describe('checkDeployment against the login (LTI Core 1.3 §4.1.2: lti_deployment_id "MUST contain the same deployment id")', () => {
  it('accepts the deployment its login named', async () =>
    expect(await checkDeployment(verified({ [CLAIM.deploymentId]: 'd1' }), platform, store, { ltiDeploymentId: 'd1' })).toBe('d1'))
  it('refuses a launch for another known deployment than its login named', async () =>
    expect(checkDeployment(verified({ [CLAIM.deploymentId]: 'd2' }), platform, store, { ltiDeploymentId: 'd1' }))
      .rejects.toMatchObject({ code: 'ERR_LTI_DEPLOYMENT_MISMATCH', detail: { deploymentId: 'd2', loginDeploymentId: 'd1' } }))
  it('checks nothing more when the login named no deployment (the parameter is optional)', async () =>
    expect(await checkDeployment(verified({ [CLAIM.deploymentId]: 'd2' }), platform, store, {})).toBe('d2'))
})

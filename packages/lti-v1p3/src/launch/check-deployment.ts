import { CLAIM } from '../claims.ts'
import { LtiError } from '../errors.ts'
import type { Platform } from '../platform.ts'
import type { LoginState } from '../stores/login-state-store.ts'
import type { PlatformStore } from '../stores/platform-store.ts'
import { stringOf, type VerifiedClaims } from './id-token-claims.ts'

/**
 * LTI Core 1.3 §5.3.3: the `deployment_id` claim is REQUIRED and identifies the platform-tool
 * integration; the tool accepts only deployments it knows for this registration. Returns it.
 *
 * A login that named its deployment (`lti_deployment_id`) binds the launch to it: LTI Core 1.3
 * §4.1.2 says it "MUST contain the same deployment id" as the launch's claim. The MUST is the
 * platform's; the tool checks it because the login's deployment already passed
 * `requireKnownDeployment` and was shown to nobody else, so a launch naming another one is not the
 * launch this login started (a token from another deployment of the same registration replayed
 * into this browser's login). An unregistered deployment is told first: that refusal names what
 * the operator can add.
 */
export async function checkDeployment(claims: VerifiedClaims, platform: Platform, platforms: PlatformStore, login?: Pick<LoginState, 'ltiDeploymentId'>): Promise<string> {
  const deploymentId = stringOf(claims[CLAIM.deploymentId])
  if (deploymentId === undefined) throw new LtiError('ERR_LTI_MISSING_CLAIM', 'id_token lacks deployment_id (LTI Core 1.3 §5.3.3)', { claim: CLAIM.deploymentId, rule: 'is REQUIRED (LTI Core 1.3 §5.3.3)' })
  await requireKnownDeployment(deploymentId, platform, platforms)
  if (login?.ltiDeploymentId !== undefined && login.ltiDeploymentId !== deploymentId) {
    throw new LtiError('ERR_LTI_DEPLOYMENT_MISMATCH', 'id_token deployment_id is not the lti_deployment_id of its login (LTI Core 1.3 §4.1.2)', {
      claim: CLAIM.deploymentId, deploymentId, loginDeploymentId: login.ltiDeploymentId,
    })
  }
  return deploymentId
}

/**
 * The one rule for "is this deployment registered": the launch (`checkDeployment`) and the login
 * initiation (`lti_deployment_id`, LTI Core 1.3 §4.1.2) both ask it, so a login is never refused
 * for a deployment its launch would accept, nor let through for one it would refuse.
 * @throws LtiError `ERR_LTI_UNKNOWN_DEPLOYMENT` (detail `deploymentId`, `iss`, `clientId`, plus `extra`)
 */
export async function requireKnownDeployment(
  deploymentId: string, platform: Platform, platforms: PlatformStore, extra: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  const known = await platforms.listDeployments(platform.issuer, platform.clientId)
  if (!known.includes(deploymentId)) {
    throw new LtiError('ERR_LTI_UNKNOWN_DEPLOYMENT', 'this deployment of the tool is not registered', { deploymentId, iss: platform.issuer, clientId: platform.clientId, ...extra })
  }
}

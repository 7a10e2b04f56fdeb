import { SignJWT } from 'jose'
import { CLAIM, LTI_VERSION } from '../claims.ts'
import { importSigningKey } from '../keys/tool-key.ts'
import type { LtiLaunch } from '../launch/lti-launch.ts'
import { randomToken } from '../random.ts'
import type { ToolKey } from '../stores/key-store.ts'
import type { ContentItem } from './content-item.ts'
import { renderAutoSubmitForm } from './auto-submit-form.ts'

export interface DeepLinkingResponseOptions {
  /** The tool's current signing key. */
  readonly key: ToolKey
  /** Shown by the platform to the user (Deep Linking 2.0 §4.5 `msg`/`errormsg`), and logged (`log`/`errorlog`). */
  readonly message?: string
  readonly log?: string
  readonly errorMessage?: string
  readonly errorLog?: string
  /** Epoch ms; default `Date.now()`. */
  readonly now?: number
  /** Where the app serves `AUTO_SUBMIT_SCRIPT`; without it the form shows a button. */
  readonly scriptSrc?: string
}

export interface DeepLinkingResponse {
  /** The signed `LtiDeepLinkingResponse` JWT. */
  readonly jwt: string
  /** The platform's `deep_link_return_url`: POST the JWT there as form field `JWT`. */
  readonly action: string
  readonly field: 'JWT'
  /** A ready page that posts the form (no inline script). */
  readonly html: string
}

/**
 * Build the Deep Linking response (Deep Linking 2.0 §4.5): a JWT signed with the tool key, `iss`
 * = `sub` = the tool's client_id (Blackboard Learn requires `sub`), `aud` = the platform issuer,
 * a fresh `nonce`, the deployment id, and the content items; `data` is echoed back only if the request carried it (§4.4.1: "it MUST be
 * included in the response if present"). Items must be of a type the platform accepts.
 */
export async function createDeepLinkingResponse(launch: LtiLaunch, items: readonly ContentItem[], options: DeepLinkingResponseOptions): Promise<DeepLinkingResponse> {
  const settings = launch.deepLinking
  if (launch.messageType !== 'LtiDeepLinkingRequest' || !settings) throw new TypeError('createDeepLinkingResponse needs an LtiDeepLinkingRequest launch')
  for (const item of items) {
    if (!settings.acceptTypes.includes(item.type)) {
      // The app chose the items; offering one the request did not accept is its mistake.
      throw new TypeError(`the platform accepts only ${settings.acceptTypes.join(', ')}, not ${item.type}`)
    }
  }
  if (items.length > 1 && settings.acceptMultiple === false) throw new TypeError('the platform accepts a single content item')

  const now = Math.floor((options.now ?? Date.now()) / 1000)
  const optional: Record<string, unknown> = {}
  if (settings.data !== undefined) optional[CLAIM.deepLinkingData] = settings.data
  if (options.message !== undefined) optional[CLAIM.deepLinkingMsg] = options.message
  if (options.log !== undefined) optional[CLAIM.deepLinkingLog] = options.log
  if (options.errorMessage !== undefined) optional[CLAIM.deepLinkingErrorMsg] = options.errorMessage
  if (options.errorLog !== undefined) optional[CLAIM.deepLinkingErrorLog] = options.errorLog

  const jwt = await new SignJWT({
    nonce: randomToken(),
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deploymentId]: launch.deploymentId,
    [CLAIM.contentItems]: items,
    ...optional,
  })
    .setProtectedHeader({ alg: 'RS256', kid: options.key.kid, typ: 'JWT' })
    .setIssuer(launch.platform.clientId)
    // Blackboard Learn requires sub, its "Application ID" (the client_id); other platforms ignore it.
    .setSubject(launch.platform.clientId)
    .setAudience(launch.platform.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(await importSigningKey(options.key))

  const action = settings.deepLinkReturnUrl
  return { jwt, action, field: 'JWT', html: renderAutoSubmitForm({ action, fields: { JWT: jwt }, scriptSrc: options.scriptSrc }) }
}

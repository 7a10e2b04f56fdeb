import { CLAIM, type LtiMessageType } from '../claims.ts'
import { LtiError } from '../errors.ts'
import { isObject, type VerifiedClaims } from './id-token-claims.ts'

type Rule = readonly [path: readonly string[], kind: 'string' | 'strings' | 'url', section: string]

/**
 * Required claims per message type, as data (claim path → kind → spec section).
 * `sub` is not required: LTI Core 1.3 §5.3.6 allows anonymous launches without it.
 */
export const REQUIRED_CLAIMS: Readonly<Record<LtiMessageType, readonly Rule[]>> = {
  LtiResourceLinkRequest: [
    [[CLAIM.targetLinkUri], 'string', 'LTI Core 1.3 §5.3.4'],
    [[CLAIM.resourceLink, 'id'], 'string', 'LTI Core 1.3 §5.3.5'],
    [[CLAIM.roles], 'strings', 'LTI Core 1.3 §5.3.7'],
  ],
  LtiDeepLinkingRequest: [
    // The tool posts its response there (a form action): an absolute http(s) URL, or the picker could never answer.
    [[CLAIM.deepLinkingSettings, 'deep_link_return_url'], 'url', 'Deep Linking 2.0 §4.4.1'],
    [[CLAIM.deepLinkingSettings, 'accept_types'], 'strings', 'Deep Linking 2.0 §4.4.1'],
    [[CLAIM.deepLinkingSettings, 'accept_presentation_document_targets'], 'strings', 'Deep Linking 2.0 §4.4.1'],
  ],
}

/**
 * Every claim the message type requires is present with the right type (`url`: an absolute
 * http(s) URL). An empty `roles` array is allowed (LTI Core 1.3 §5.3.7: "the roles claim MAY be
 * an empty array"). A property's claim that is absent or no object (no `deep_linking_settings`,
 * Deep Linking 2.0 §4.4.1) is named itself: that claim is what the platform left out.
 */
export function checkRequiredClaims(claims: VerifiedClaims, messageType: LtiMessageType): void {
  for (const [path, kind, section] of REQUIRED_CLAIMS[messageType]) {
    let value: unknown = claims
    for (const [depth, key] of path.entries()) {
      if (!isObject(value)) throw missing(messageType, path.slice(0, depth), 'an object ', ', an object', section)
      value = value[key]
    }
    const ok = kind === 'string' ? typeof value === 'string' && value !== ''
      : kind === 'url' ? typeof value === 'string' && isHttpUrl(value)
      : Array.isArray(value) && value.every((v) => typeof v === 'string')
    if (!ok) {
      const what = kind === 'url' ? 'an absolute http(s) URL as ' : ''
      const shape = kind === 'url' ? ', an absolute http(s) URL' : kind === 'strings' ? ', an array of strings' : ', a non-empty string'
      throw missing(messageType, path, what, shape, section)
    }
  }
}

function missing(messageType: LtiMessageType, path: readonly string[], what: string, shape: string, section: string): LtiError {
  return new LtiError('ERR_LTI_MISSING_CLAIM', `${messageType} lacks ${what}${path.join(' → ')} (${section})`, {
    claim: path.join('#'), rule: `is REQUIRED in an ${messageType}${shape} (${section})`,
  })
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false
  const { protocol } = new URL(value)
  return protocol === 'https:' || protocol === 'http:'
}

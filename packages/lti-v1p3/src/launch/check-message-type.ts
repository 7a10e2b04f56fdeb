import { CLAIM, LTI_VERSION, MESSAGE_TYPES, type LtiMessageType } from '../claims.ts'
import { LtiError } from '../errors.ts'
import type { VerifiedClaims } from './id-token-claims.ts'

/**
 * LTI Core 1.3 §5.3.1: `message_type` is REQUIRED; this tool accepts resource-link and deep-linking
 * requests. A missing claim is told as missing (`ERR_LTI_MISSING_CLAIM`), another value as
 * unsupported; both name the claim and the rule (`detail.claim`, `detail.rule`).
 */
export function checkMessageType(claims: VerifiedClaims): LtiMessageType {
  const type = claims[CLAIM.messageType]
  if (type === undefined) {
    throw new LtiError('ERR_LTI_MISSING_CLAIM', 'id_token lacks message_type (LTI Core 1.3 §5.3.1)', { claim: CLAIM.messageType, rule: 'is REQUIRED (LTI Core 1.3 §5.3.1)' })
  }
  if (!MESSAGE_TYPES.includes(type as LtiMessageType)) {
    throw new LtiError('ERR_LTI_UNSUPPORTED_MESSAGE_TYPE', 'unsupported LTI message_type', {
      messageType: type, claim: CLAIM.messageType, rule: `must be ${MESSAGE_TYPES.join(' or ')} (LTI Core 1.3 §5.3.1; Deep Linking 2.0 §4.4)`,
    })
  }
  return type as LtiMessageType
}

/**
 * LTI Core 1.3 §5.3.2: the `version` claim is REQUIRED, and "For conformance with this
 * specification, the claim must have the value 1.3.0". Missing: `ERR_LTI_MISSING_CLAIM`; another
 * value: `ERR_LTI_UNSUPPORTED_VERSION`.
 */
export function checkVersion(claims: VerifiedClaims): void {
  const version = claims[CLAIM.version]
  if (version === undefined) {
    throw new LtiError('ERR_LTI_MISSING_CLAIM', 'id_token lacks version (LTI Core 1.3 §5.3.2)', { claim: CLAIM.version, rule: 'is REQUIRED (LTI Core 1.3 §5.3.2)' })
  }
  if (version !== LTI_VERSION) {
    throw new LtiError('ERR_LTI_UNSUPPORTED_VERSION', 'LTI version must be 1.3.0', { version, claim: CLAIM.version, rule: `must be ${LTI_VERSION} (LTI Core 1.3 §5.3.2)` })
  }
}

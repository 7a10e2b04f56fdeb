import { CLAIM, LTI_VERSION, MESSAGE_TYPES, type LtiMessageType } from '../claims.ts'
import { LtiError } from '../errors.ts'
import type { VerifiedClaims } from './id-token-claims.ts'

/** LTI Core 1.3 §5.3.1: `message_type` is REQUIRED; this tool accepts resource-link and deep-linking requests. */
export function checkMessageType(claims: VerifiedClaims): LtiMessageType {
  const type = claims[CLAIM.messageType]
  if (!MESSAGE_TYPES.includes(type as LtiMessageType)) {
    throw new LtiError('ERR_LTI_UNSUPPORTED_MESSAGE_TYPE', 'unsupported LTI message_type', { messageType: type })
  }
  return type as LtiMessageType
}

/** LTI Core 1.3 §5.3.2: "For conformance with this specification, the claim must have the value 1.3.0". */
export function checkVersion(claims: VerifiedClaims): void {
  const version = claims[CLAIM.version]
  if (version !== LTI_VERSION) throw new LtiError('ERR_LTI_UNSUPPORTED_VERSION', 'LTI version must be 1.3.0', { version })
}

import type { LtiErrorCode } from '../errors.ts'

/**
 * The one code → HTTP status table of the library, used only at the edge (the optional Express
 * handlers, or the app's own error handler). Launch failures are 401 (not authenticated), bad
 * initiation input 400, platform-side failures 502. Only statuses below 500 show their message.
 */
export const LTI_ERROR_STATUS: Readonly<Record<LtiErrorCode, number>> = {
  ERR_LTI_INVALID_LOGIN_REQUEST: 400,
  ERR_LTI_UNKNOWN_PLATFORM: 400,
  ERR_LTI_MISSING_ID_TOKEN: 400,
  ERR_LTI_MALFORMED_TOKEN: 401,
  ERR_LTI_ALG_NOT_ALLOWED: 401,
  ERR_LTI_MISSING_KID: 401,
  ERR_LTI_UNKNOWN_KID: 401,
  ERR_LTI_SIGNATURE_INVALID: 401,
  ERR_LTI_JWKS_UNAVAILABLE: 502,
  ERR_LTI_ISS_MISMATCH: 401,
  ERR_LTI_AUD_MISMATCH: 401,
  ERR_LTI_AZP_MISMATCH: 401,
  ERR_LTI_TOKEN_EXPIRED: 401,
  ERR_LTI_TOKEN_NOT_YET_VALID: 401,
  ERR_LTI_IAT_IN_FUTURE: 401,
  ERR_LTI_STATE_MISSING: 400,
  ERR_LTI_STATE_UNKNOWN: 401,
  ERR_LTI_STATE_EXPIRED: 401,
  ERR_LTI_STATE_NOT_BOUND: 401,
  ERR_LTI_UNKNOWN_DEPLOYMENT: 403,
  ERR_LTI_DEPLOYMENT_MISMATCH: 401,
  ERR_LTI_UNSUPPORTED_MESSAGE_TYPE: 400,
  ERR_LTI_UNSUPPORTED_VERSION: 400,
  ERR_LTI_MISSING_CLAIM: 400,
  ERR_LTI_INVALID_CLAIM: 400,
  ERR_LTI_NONCE_MISMATCH: 401,
  ERR_LTI_NONCE_REPLAYED: 401,
  ERR_LTI_PLATFORM_ERROR_RESPONSE: 401,
  ERR_LTI_SERVICE_HTTP: 502,
  ERR_LTI_SERVICE_NETWORK: 502,
  ERR_LTI_SERVICE_INVALID_RESPONSE: 502,
  ERR_LTI_REGISTRATION_INVALID_CONFIGURATION: 400,
  ERR_LTI_REGISTRATION_ISSUER_MISMATCH: 400,
  // The platform answered its own registration with an error (or without client_id): its failure, as a gateway sees it.
  ERR_LTI_REGISTRATION_FAILED: 502,
  ERR_LTI_REGISTRATION_PRIVATE_ADDRESS: 400,
  // The tool refuses, by policy, to reach the platform: not the platform failing (502), and retrying will not help.
  ERR_LTI_PLATFORM_PRIVATE_ADDRESS: 403,
  ERR_LTI_SEALED_KEY_INVALID: 500,
}

/**
 * Version negotiation over the `X-Experience-API-Version` header
 * (xAPI 1.0.3 Communication §3.3 "Versioning"; xAPI 2.0.0 / IEEE 9274.1.1 Communication "Versioning").
 */
import { XapiError } from './errors.ts'
import type { XapiVersion } from './types.ts'

/**
 * The versions listed by `GET /about` to a 2.0 client or one that declares no version (xAPI 1.0.3
 * Communication §2.8.s5.b1): "a version property that includes the latest minor and patch version
 * the LRS conforms to, for each major version". So one entry per major version: `1.0.3` covers
 * 1.0.0–1.0.2 and `2.0.0` is the only 2.x version. A 1.0.x client is listed
 * {@link ABOUT_VERSIONS_1_0} instead. The ADL conformance suite accepts exactly these strings
 * (`0.9`, `0.95`, `1.0.0`–`1.0.3`, `2.0.0`).
 */
export const SUPPORTED_VERSIONS: readonly XapiVersion[] = Object.freeze(['1.0.3', '2.0.0'] as const)

/**
 * The 1.0 versions the About resource lists to a client of the 1.0 line: every 1.0.x patch this LRS
 * accepts and serves (Communication §3.3.s3: requests "starting with `1.0.`" are accepted). The
 * specification asks for at least the latest patch (§2.8.s5.b1, "includes"); the ADL 1.0.3
 * conformance suite asks for `1.0.1` by name (XAPI-00317) and allows only 1.0 values here
 * (XAPI-00316), and the ADL reference LRS lists these four.
 */
export const ABOUT_VERSIONS_1_0: readonly string[] = Object.freeze(['1.0.0', '1.0.1', '1.0.2', '1.0.3'])

/** `1.0`, `1.0.<patch>`, `2.0`, `2.0.<patch>`; the patch is a number without a leading zero (SemVer). */
const VERSION = /^(1|2)\.0(?:\.(0|[1-9]\d*))?$/

/**
 * Negotiates the request's xAPI version from its `X-Experience-API-Version` header.
 *
 * xAPI 1.0.3 Communication §3.3.s3: the LRS "MUST accept requests with a version header of `1.0` as
 * if the version header was `1.0.0`", "MUST accept requests with a version header starting with
 * `1.0.`", "MUST reject requests with a version header of `1.1.0` or greater" and earlier than
 * `1.0.0`, with `400 Bad Request`. xAPI 2.0.0 states the same for `2.0` / `2.0.x`. Every 1.0.x
 * request is served by the latest 1.0 patch (`1.0.3`), every 2.0.x request by `2.0.0`.
 *
 * The About resource is exempt (Communication §2.8.s5.b4: it "MUST NOT reject requests based on
 * their version header"); the router must not call this for `/about`.
 *
 * @param header the raw header value (`undefined` when absent). Surrounding whitespace is ignored;
 *   anything else (a suffix such as `1.0.3-beta`, a list, a `v` prefix) is unsupported.
 * @throws XapiError `ERR_XAPI_MISSING_VERSION` when the header is absent or empty,
 *   `ERR_XAPI_UNSUPPORTED_VERSION` when it names a version this LRS does not speak.
 */
export function negotiateVersion(header: string | undefined): XapiVersion {
  const value = header?.trim()
  if (value === undefined || value === '') {
    throw new XapiError('ERR_XAPI_MISSING_VERSION', 'The X-Experience-API-Version header is required (xAPI Communication 3.3)', [
      { path: 'X-Experience-API-Version', rule: 'required', message: 'X-Experience-API-Version header is missing (xAPI Communication 3.3.s4.b1)' },
    ])
  }
  const match = VERSION.exec(value)
  if (match === null) {
    throw new XapiError(
      'ERR_XAPI_UNSUPPORTED_VERSION',
      `X-Experience-API-Version ${JSON.stringify(value)} is not supported; supported: ${SUPPORTED_VERSIONS.join(', ')} (xAPI Communication 3.3)`,
      [{ path: 'X-Experience-API-Version', rule: 'supported-version', message: `version ${JSON.stringify(value)} is not 1.0, 1.0.x, 2.0 or 2.0.x (xAPI Communication 3.3.s3)` }],
    )
  }
  return match[1] === '1' ? '1.0.3' : '2.0.0'
}

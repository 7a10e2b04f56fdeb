import { X509Certificate } from 'node:crypto'
import { base64url, compactVerify, errors as joseErrors } from 'jose'
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, statementsEqual, validateStatement, XapiError, type Attachment, type Statement, type XapiVersion } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import { mediaTypeEssence } from './media-type.ts'
import type { ReceivedParts } from './attachment-content.ts'

/** The usageType of a statement signature (xAPI 1.0.3 Data 2.6.s4.b1). */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature'

/** "The JWS signature MUST use an algorithm of "RS256", "RS384", or "RS512"" (Data 2.6.s4.b4). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512']

interface CompactJws {
  text: string
  header: Record<string, unknown>
  payload: Uint8Array
}

/**
 * Verifies that a signed statement is well formed (xAPI 1.0.3 Data 2.6; IEEE 9274.1.1 (xAPI
 * 2.0) Data 4.4): "The LRS MUST reject requests to store Statements that contain malformed
 * signatures, with 400 Bad Request" (2.6.s5.b1). An ordered list of checks, each its own
 * function; the first failure throws `ERR_LRS_INVALID_SIGNATURE` naming the rule:
 *
 * `checkSignatureAttachment → parseCompactJws → checkAlgorithm → verifyWithCertificate (only with
 * x5c) → readSignedStatement → checkSameStatement`.
 *
 * Without an `x5c` header there is no key to verify with: the spec then asks only that the JWS
 * is well formed and its payload is the statement (2.6.s5.b3), and its note says the X.509 check
 * "is intended as a way to catch mistakes in the signature, not as a security measure". So the
 * payload of such a JWS is read unverified, and the LRS never claims the signature is authentic
 * ("Clients MUST NOT assume a signature is valid simply because an LRS has accepted it").
 *
 * @param statement the statement as received and validated, before LRS-assigned properties.
 * @param path its path in the request, for messages: `''` or `[i]`.
 */
export async function verifySignedStatement(statement: Statement, parts: ReceivedParts, version: XapiVersion, path: string): Promise<void> {
  const signatures = (statement.attachments ?? []).map((attachment, i) => ({ attachment, at: `${path === '' ? '' : `${path}.`}attachments[${i}]` }))
  for (const { attachment, at } of signatures.filter((s) => s.attachment.usageType === SIGNATURE_USAGE_TYPE)) {
    const content = checkSignatureAttachment(attachment, parts, at)
    const jws = parseCompactJws(content, at)
    checkAlgorithm(jws, at)
    const payload = await verifyWithCertificate(jws, at)
    const signed = readSignedStatement(payload, version, at)
    checkSameStatement(signed, statement, version, at)
  }
}

/** The signature is an attachment of type application/octet-stream whose content was sent (Data 2.6.s4.b1). */
function checkSignatureAttachment(attachment: Attachment, parts: ReceivedParts, at: string): Buffer {
  if (mediaTypeEssence(attachment.contentType) !== 'application/octet-stream') {
    throw invalid(`a signature attachment must have contentType application/octet-stream, got ${attachment.contentType} (xAPI 1.0.3 Data 2.6.s4.b1)`, `${at}.contentType`)
  }
  const part = parts.get(attachment.sha2.toLowerCase())
  if (part === undefined) {
    throw invalid('the JWS of a signature attachment must be sent as a multipart/mixed part so that the LRS can verify it (xAPI 1.0.3 Data 2.6.s5.b3)', `${at}.sha2`)
  }
  return part.content
}

/**
 * JWS Compact Serialization (RFC 7515 §7.1): three base64url segments. It "SHOULD" be used in
 * 1.0.3 (2.6.s4.b2) and "shall" in 2.0; the JSON serialization "will be forbidden in a future
 * version", so this LRS accepts the compact form only.
 */
function parseCompactJws(content: Buffer, at: string): CompactJws {
  const text = content.toString('latin1').trim()
  const segments = text.split('.')
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s))) {
    throw invalid('the signature attachment must be a JWS in compact serialization: three non-empty base64url segments separated by dots (RFC 7515 §7.1; xAPI 1.0.3 Data 2.6.s4.b2)', at)
  }
  let header: unknown
  try {
    header = JSON.parse(Buffer.from(base64url.decode(segments[0]!)).toString('utf8'))
  } catch {
    throw invalid('the JWS protected header is not base64url-encoded JSON (RFC 7515 §5.2)', at)
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid('the JWS protected header must be a JSON object (RFC 7515 §4)', at)
  // Extensions this LRS does not implement must make the JWS invalid (RFC 7515 §4.1.11), and an
  // unencoded payload (RFC 7797 `b64: false`) is not a statement serialization.
  if ('crit' in header || 'b64' in header) throw invalid('the JWS header uses crit or b64, which a statement signature does not need (RFC 7515 §4.1.11)', at)
  return { text, header: header as Record<string, unknown>, payload: base64url.decode(segments[1]!) }
}

function checkAlgorithm(jws: CompactJws, at: string): void {
  if (typeof jws.header.alg !== 'string' || !ALGORITHMS.includes(jws.header.alg)) {
    throw invalid(`the JWS algorithm must be RS256, RS384 or RS512, got ${JSON.stringify(jws.header.alg ?? null)} (xAPI 1.0.3 Data 2.6.s4.b4)`, at)
  }
}

/**
 * "If the JWS header includes an X.509 certificate, validate the signature against that
 * certificate as defined in JWS" (Data 2.6.s5.b3.b3). The chain in `x5c` must link: each
 * certificate issued and signed by the next (RFC 7515 §4.1.6). Validity dates and trust anchors
 * are not checked: the spec calls this check a way "to catch mistakes", and a statement may be
 * stored long after it was signed. Keys under 2048 bits are refused by jose.
 * @returns the payload, verified when there was a certificate.
 */
async function verifyWithCertificate(jws: CompactJws, at: string): Promise<Uint8Array> {
  if (jws.header.x5c === undefined) return jws.payload
  const chain = certificateChain(jws.header.x5c, at)
  try {
    const { payload } = await compactVerify(jws.text, chain[0]!.publicKey, { algorithms: ALGORITHMS })
    return payload
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw invalid('the JWS signature does not verify with the public key of the first x5c certificate (xAPI 1.0.3 Data 2.6.s5.b3.b3)', at)
    }
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
      throw invalid(`the JWS cannot be verified with the x5c certificate: ${error.message} (xAPI 1.0.3 Data 2.6.s5.b3.b3)`, at)
    }
    throw error
  }
}

function certificateChain(x5c: unknown, at: string): X509Certificate[] {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(c))) {
    throw invalid('the JWS x5c header must be a non-empty array of base64 DER certificates (RFC 7515 §4.1.6)', at)
  }
  let chain: X509Certificate[]
  try {
    chain = (x5c as string[]).map((der) => new X509Certificate(Buffer.from(der, 'base64')))
  } catch {
    throw invalid('an x5c entry of the JWS header is not an X.509 certificate (RFC 7515 §4.1.6)', at)
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const [subject, issuer] = [chain[i]!, chain[i + 1]!]
    if (!subject.checkIssued(issuer) || !subject.verify(issuer.publicKey)) {
      throw invalid(`x5c[${i}] is not issued and signed by x5c[${i + 1}]; each certificate of the chain must certify the one before it (RFC 7515 §4.1.6)`, at)
    }
  }
  if (chain[0]!.publicKey.asymmetricKeyType !== 'rsa') throw invalid('the x5c certificate must hold an RSA key for RS256/RS384/RS512 (xAPI 1.0.3 Data 2.6.s4.b4)', at)
  return chain
}

/** "The JWS signature MUST have a payload of a valid JSON serialization of the complete Statement" (Data 2.6.s4.b3). */
function readSignedStatement(payload: Uint8Array, version: XapiVersion, at: string): Statement {
  let json: unknown
  const text = Buffer.from(payload).toString('utf8')
  if (jsonNestsDeeperThan(text)) throw invalid(`the JWS payload nests objects and arrays more than ${MAX_JSON_DEPTH} deep (rule max-depth)`, at)
  try {
    json = JSON.parse(text)
  } catch {
    throw invalid('the JWS payload must be a JSON serialization of the statement, and is not valid JSON (xAPI 1.0.3 Data 2.6.s4.b3)', at)
  }
  try {
    return validateStatement(json, { version })
  } catch (error) {
    if (!(error instanceof XapiError)) throw error
    throw invalid(`the JWS payload must be a valid statement: ${error.message} (xAPI 1.0.3 Data 2.6.s4.b3)`, at)
  }
}

/**
 * "Validate that the original Statement is logically equivalent to the received Statement"
 * (Data 2.6.s5.b3.b2) by the Statement Comparison Requirements (Data 2.3.1), which ignore the
 * LRS-assigned id, authority, stored, version and a missing timestamp. The signature attachment
 * itself is not compared: the payload is the statement "before the signature was added" (2.6.s4.b3).
 * An id in both must still be the same id. Under 2.0.0 a duration counts to its hundredths only (Data 4.2.7).
 */
function checkSameStatement(signed: Statement, received: Statement, version: XapiVersion, at: string): void {
  const unsigned = withoutSignatures(received)
  const sameId = signed.id === undefined || received.id === undefined || signed.id.toLowerCase() === received.id.toLowerCase()
  if (!sameId || !statementsEqual(withoutSignatures(signed), unsigned, version)) {
    throw invalid('the JWS payload is not the same statement as the one received (xAPI 1.0.3 Data 2.6.s5.b3.b2, compared by Data 2.3.1)', at)
  }
}

function withoutSignatures(statement: Statement): Statement {
  const { attachments, ...rest } = statement
  const kept = (attachments ?? []).filter((a) => a.usageType !== SIGNATURE_USAGE_TYPE)
  return kept.length === 0 ? rest : { ...rest, attachments: kept }
}

function invalid(message: string, path: string): LrsError {
  return new LrsError('ERR_LRS_INVALID_SIGNATURE', message, path)
}

import { randomBytes } from 'node:crypto'
import type { ErrorRequestHandler } from 'express'
import { isDatabaseUnavailable, isUnstorableText, unavailableMessage } from '@tln/db'
import { LTI_ERROR_STATUS, LtiError, LtiStateNotBoundError, type LtiErrorCode } from '@tln/lti-v1p3'
import { LtiToolError, RateLimitedError, type LtiToolErrorCode } from '../errors.ts'
import type { ToolLogger } from '../logger.ts'
import { toolPageHeaders, type Framing } from './headers.ts'
import { errorPage } from './pages.ts'

/** The one table from the tool's own codes to HTTP statuses (the library's are `LTI_ERROR_STATUS`). */
export const TOOL_ERROR_STATUS: Readonly<Record<LtiToolErrorCode, number>> = {
  ERR_TOOL_ANONYMOUS_LAUNCH: 403,
  ERR_TOOL_PLATFORM_PENDING: 403,
  ERR_TOOL_NOT_SIGNED_IN: 401,
  ERR_TOOL_TICKET_INVALID: 401,
  // Gone: the link worked once, for a minute (RFC 9110 §15.5.11).
  ERR_TOOL_HANDOFF_INVALID: 410,
  ERR_TOOL_STORAGE_CHECK_FAILED: 401,
  ERR_TOOL_BAD_REQUEST: 400,
  ERR_TOOL_NOT_FOUND: 404,
  ERR_TOOL_CONFLICT: 409,
  ERR_TOOL_FORBIDDEN: 403,
  ERR_TOOL_FILE_TOO_LARGE: 413,
  ERR_TOOL_UNSUPPORTED_FILE: 415,
  ERR_TOOL_UPLOAD_OFFSET: 409,
  ERR_TOOL_INVALID_URL: 400,
  ERR_TOOL_CSRF: 403,
  ERR_TOOL_LOGIN_FAILED: 401,
  ERR_TOOL_ACCOUNT_LOCKED: 429,
  ERR_TOOL_IMPORT_REJECTED: 400,
  ERR_TOOL_RATE_LIMITED: 429,
  ERR_TOOL_INVALID_TEXT: 400,
  ERR_TOOL_UNAVAILABLE: 503,
  ERR_TOOL_UNSUPPORTED_MEDIA_TYPE: 415,
}

/**
 * Refuses a JSON API call whose body is not `application/json` (a form post, text, none). Without
 * it, express.json left the body empty and the call failed on its first field, e.g. "not found" for
 * an assignment sent as a form field, which names neither the field nor the rule.
 * @throws LtiToolError `ERR_TOOL_UNSUPPORTED_MEDIA_TYPE` (415, RFC 9110 §15.5.16)
 */
export function requireJsonBody(req: { is(type: string): string | false | null; get(name: string): string | undefined }): void {
  if (req.is('application/json') === 'application/json') return
  throw new LtiToolError('ERR_TOOL_UNSUPPORTED_MEDIA_TYPE', `this API takes a JSON body (Content-Type: application/json), got ${req.get('content-type') ?? 'none'}`)
}

/** Seconds a client is asked to wait (`Retry-After`, RFC 9110 §10.2.3) when the database is unavailable; the LRS says the same. */
export const UNAVAILABLE_RETRY_AFTER_S = 5

/**
 * `ERR_TOOL_UNAVAILABLE` for an error that says the database is away or saturated (a pool wait
 * that ran out, a connection lost: `isDatabaseUnavailable`), else `undefined`. Such a request
 * changed nothing and can be sent again shortly: 503 with `Retry-After` (RFC 9110 §15.6.4), not 500.
 */
export function unavailableError(error: unknown): LtiToolError | undefined {
  if (!isDatabaseUnavailable(error)) return undefined
  return new LtiToolError('ERR_TOOL_UNAVAILABLE', unavailableMessage(error, 'changed'))
}

type Message = { id: string; en: string }

const AGAIN: Message = {
  id: 'Proses masuk ini sudah kedaluwarsa atau sudah dipakai. Silakan buka kembali aktivitas ini dari LMS Anda.',
  en: 'This sign-in has expired or was already used. Please open the activity again from your LMS.',
}
const UNVERIFIED: Message = {
  id: 'Peluncuran dari LMS tidak dapat diverifikasi, jadi TLN tidak membukanya. Silakan coba lagi dari LMS; bila tetap gagal, hubungi administrator dengan kode rujukan di bawah.',
  en: 'The launch from your LMS could not be verified, so TLN did not open it. Please try again from your LMS; if it keeps failing, contact your administrator with the reference below.',
}
const NOT_REGISTERED: Message = {
  id: 'LMS ini belum terdaftar di TLN. Administrator perlu mendaftarkan TLN di LMS terlebih dahulu.',
  en: 'This LMS is not registered with TLN yet. An administrator needs to register TLN in the LMS first.',
}
const UNREACHABLE: Message = {
  id: 'TLN tidak dapat menghubungi LMS saat ini. Silakan coba beberapa saat lagi.',
  en: 'TLN cannot reach the LMS right now. Please try again in a moment.',
}
const BODY_TOO_LARGE: Message = {
  id: 'Isian yang dikirim terlalu besar untuk formulir ini. Persingkat teks atau kecilkan berkasnya, lalu kirim lagi.',
  en: 'What was sent is too large for this form. Shorten the text or shrink the file, then send it again.',
}
const INTERNAL: Message = {
  id: 'Terjadi kesalahan di TLN. Masalah ini sudah dicatat; silakan coba lagi nanti.',
  en: 'Something went wrong in TLN. The problem was logged; please try again later.',
}

/**
 * Plain-language messages per code; the technical detail goes to the log only, except where the
 * page must name what to fix (an unknown deployment, a refused address): then `detail`, the
 * error's own, fills the message in.
 */
export function messageOf(code: LtiErrorCode | LtiToolErrorCode | undefined, detail?: Readonly<Record<string, unknown>>): Message {
  switch (code) {
    case 'ERR_LTI_STATE_MISSING': case 'ERR_LTI_STATE_UNKNOWN': case 'ERR_LTI_STATE_EXPIRED':
    case 'ERR_LTI_NONCE_MISMATCH': case 'ERR_LTI_NONCE_REPLAYED': case 'ERR_TOOL_TICKET_INVALID':
      return AGAIN
    case 'ERR_LTI_UNKNOWN_PLATFORM':
      return unknownPlatformMessage(detail) ?? NOT_REGISTERED
    case 'ERR_LTI_UNKNOWN_DEPLOYMENT':
      return detail === undefined ? NOT_REGISTERED : unknownDeploymentMessage(detail)
    case 'ERR_TOOL_PLATFORM_PENDING':
      return {
        id: 'Pendaftaran LMS ini di TLN masih menunggu aktivasi oleh operator TLN.',
        en: 'The registration of this LMS in TLN is still waiting for activation by a TLN operator.',
      }
    case 'ERR_TOOL_ANONYMOUS_LAUNCH':
      return {
        id: 'TLN perlu mengetahui siapa Anda. Peluncuran ini tidak menyebut pengguna (tanpa klaim "sub": peluncuran anonim, LTI Core 1.3 §5.3.6.1), padahal TLN menyimpan pekerjaan tiap orang. Tidak ada yang disimpan. Minta administrator LMS agar mengirim identitas pengguna ke TLN.',
        en: 'TLN needs to know who you are. This launch names no user (no "sub" claim: an anonymous launch, LTI Core 1.3 §5.3.6.1), and TLN keeps each person\'s work. Nothing was saved. Ask your LMS administrator to share the user identity with TLN.',
      }
    case 'ERR_TOOL_NOT_SIGNED_IN':
      return { id: 'Anda belum masuk ke TLN. Buka TLN dari aktivitas di LMS Anda.', en: 'You are not signed in to TLN. Open TLN from an activity in your LMS.' }
    case 'ERR_TOOL_HANDOFF_INVALID':
      return {
        id: 'Tautan untuk membuka halaman ini di jendela baru sudah dipakai atau kedaluwarsa (hanya berlaku sekali, selama satu menit). Kembali ke TLN di LMS Anda dan pilih halaman itu lagi.',
        en: 'The link to open this page in a new window was already used or has expired (it works once, for one minute). Go back to TLN in your LMS and choose the page again.',
      }
    case 'ERR_TOOL_CSRF':
      return { id: 'Formulir ini kedaluwarsa atau tidak dikirim dari TLN. Muat ulang halamannya lalu coba lagi.', en: 'This form expired or was not sent from TLN. Reload the page and try again.' }
    case 'ERR_TOOL_LOGIN_FAILED':
      return { id: 'Email atau kata sandi salah.', en: 'Wrong e-mail or password.' }
    case 'ERR_TOOL_ACCOUNT_LOCKED':
      return { id: 'Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; coba lagi 15 menit lagi.', en: 'Too many failed sign-ins. The account is locked for a while; try again in 15 minutes.' }
    case 'ERR_TOOL_RATE_LIMITED':
      return { id: 'Terlalu banyak permintaan pendaftaran dari alamat ini. Tunggu paling lama 15 menit, lalu mulai pendaftaran lagi dari LMS.', en: 'Too many registration requests from this address. Wait up to 15 minutes, then start the registration again from the LMS.' }
    case 'ERR_TOOL_UNSUPPORTED_MEDIA_TYPE':
      return { id: 'Permintaan ini harus berupa JSON (Content-Type: application/json).', en: 'This request must be JSON (Content-Type: application/json).' }
    case 'ERR_TOOL_UNAVAILABLE':
      return { id: 'TLN sedang sibuk dan tidak dapat melayani permintaan ini; tidak ada yang berubah. Silakan coba lagi sebentar lagi.', en: 'TLN is busy and could not serve this request; nothing was changed. Please try again in a moment.' }
    case 'ERR_TOOL_INVALID_TEXT':
      return { id: 'Ada isian yang memuat karakter NUL (U+0000), yang tidak dapat disimpan. Hapus karakter itu, lalu kirim lagi.', en: 'A field contains a NUL character (U+0000), which cannot be stored. Remove it and send again.' }
    case 'ERR_TOOL_IMPORT_REJECTED':
      return { id: 'Berkas CSV ditolak; tidak ada yang disimpan.', en: 'The CSV file was rejected; nothing was stored.' }
    case 'ERR_LTI_STATE_NOT_BOUND':
      return {
        id: 'TLN tidak dapat memastikan bahwa proses masuk ini dimulai di peramban ini (peramban Anda mungkin memblokir cookie di dalam bingkai LMS). Buka TLN di jendela baru untuk melanjutkan, atau buka kembali aktivitas ini dari LMS.',
        en: 'TLN could not confirm that this sign-in was started in this browser (your browser may block cookies inside the LMS frame). Open TLN in a new window to continue, or open the activity again from your LMS.',
      }
    case 'ERR_TOOL_STORAGE_CHECK_FAILED':
      return { id: 'Peluncuran ini tidak dapat dipastikan berasal dari peramban ini. Silakan buka kembali dari LMS.', en: 'This launch could not be tied to this browser. Please open it again from your LMS.' }
    case 'ERR_LTI_JWKS_UNAVAILABLE': case 'ERR_LTI_SERVICE_HTTP': case 'ERR_LTI_SERVICE_NETWORK': case 'ERR_LTI_SERVICE_INVALID_RESPONSE':
      return UNREACHABLE
    case 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS':
      return privateAddressMessage(detail)
    case 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS':
      return platformPrivateAddressMessage(detail)
    case 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION': case 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH':
      return invalidConfigurationMessage(detail)
    case 'ERR_LTI_REGISTRATION_FAILED':
      return registrationFailedMessage(detail)
    case 'ERR_TOOL_BAD_REQUEST': case 'ERR_LTI_INVALID_LOGIN_REQUEST': case 'ERR_LTI_MISSING_ID_TOKEN':
      return { id: 'Permintaan ke TLN tidak lengkap. Silakan buka kembali dari LMS Anda.', en: 'The request to TLN was incomplete. Please open it again from your LMS.' }
    case 'ERR_TOOL_FORBIDDEN':
      return { id: 'Peran atau wilayah Anda tidak mencakup halaman ini. Hubungi administrator TLN bila seharusnya bisa.', en: 'Your role or area does not include this page. Ask your TLN administrator if it should.' }
    case 'ERR_TOOL_NOT_FOUND':
      return { id: 'Data yang Anda cari tidak ditemukan.', en: 'What you are looking for was not found.' }
    case 'ERR_TOOL_CONFLICT':
      return { id: 'Data ini sudah berubah sementara itu. Muat ulang halaman dan coba lagi.', en: 'This changed in the meantime. Reload the page and try again.' }
    case 'ERR_TOOL_FILE_TOO_LARGE':
      return { id: 'Berkas terlalu besar. Ukuran paling besar 10 MB; kecilkan foto atau simpan dokumen sebagai PDF.', en: 'The file is too large. The limit is 10 MB; shrink the photo or save the document as PDF.' }
    case 'ERR_TOOL_UNSUPPORTED_FILE':
      return { id: 'Jenis berkas tidak diterima. Kirim PDF, DOCX, ODT, atau foto JPEG, PNG, WebP (tugas media: foto saja). Jenis dinilai dari isi berkas, bukan namanya.', en: 'This file type is not accepted. Send a PDF, DOCX, ODT, or a JPEG, PNG or WebP photo (media task: photos only). The type is judged by the content, not the name.' }
    case 'ERR_TOOL_UPLOAD_OFFSET':
      return { id: 'Unggahan terputus. Lanjutkan dari bagian yang sudah diterima.', en: 'The upload was interrupted. Continue from the part already received.' }
    case 'ERR_TOOL_INVALID_URL':
      return { id: 'Alamat tidak valid. Tulis alamat lengkap yang diawali https://', en: 'The address is not valid. Write the full address starting with https://' }
    case undefined: case 'ERR_LTI_SEALED_KEY_INVALID':
      return INTERNAL
    default:
      if (!code.startsWith('ERR_LTI_')) return INTERNAL
      return refusedClaimMessage(detail) ?? UNVERIFIED
  }
}

/** The longest claim path a refusal page repeats: a path of the token's own keys may be long. */
const MAX_SHOWN_CLAIM = 200

/**
 * A launch refused for one claim (missing, malformed, or not what the rule wants): the page names
 * the claim and the rule it breaks, with its spec section (`detail.claim`, `detail.rule` of the
 * library's `LtiError`), for the LMS administrator who must fix what the platform sends (the
 * 1EdTech certification's known-bad launches expect a clear refusal). Claim names and rules are
 * the library's own words, never a claim's value; undefined when the error names no claim.
 */
function refusedClaimMessage(detail: Readonly<Record<string, unknown>> | undefined): Message | undefined {
  const { claim, rule } = detail ?? {}
  if (typeof claim !== 'string' || typeof rule !== 'string') return undefined
  const name = claim.length > MAX_SHOWN_CLAIM ? `${claim.slice(0, MAX_SHOWN_CLAIM)}…` : claim
  return {
    id: `LMS mengirim peluncuran yang tidak dapat diterima TLN, sehingga TLN tidak membukanya dan tidak menyimpan apa pun. Klaim "${name}" tidak memenuhi aturan LTI: ${rule}. Sampaikan hal ini kepada administrator LMS Anda beserta kode rujukan di bawah.`,
    en: `The LMS sent a launch TLN cannot accept, so TLN did not open it and saved nothing. Claim "${name}" ${rule}. Tell your LMS administrator, with the reference below.`,
  }
}

/** The longest issuer or client ID a refusal page repeats (the login's own parameters, up to 4 KiB). */
const MAX_SHOWN_ID = 200

/**
 * A login (or launch) from an issuer and client ID TLN has no active registration for: the page
 * names both as the LMS sent them, so the operator can compare them with the platform registered.
 * They often differ because Instructure-hosted Canvas sends `https://canvas.instructure.com` and
 * Blackboard Learn `https://blackboard.com` as issuer, not the school's own LMS address (Canvas
 * "Launch Overview"; Anthology "Handling OIDC Login"). The values are the login's parameters, not
 * secrets; they are shortened and escaped like any page text. Undefined when the error names no issuer.
 */
function unknownPlatformMessage(detail: Readonly<Record<string, unknown>> | undefined): Message | undefined {
  const shown = (value: unknown) => typeof value === 'string' && value !== '' ? (value.length > MAX_SHOWN_ID ? `${value.slice(0, MAX_SHOWN_ID)}…` : value) : undefined
  const issuer = shown(detail?.iss)
  if (issuer === undefined) return undefined
  const clientId = shown(detail?.clientId)
  return {
    id: `LMS ini belum terdaftar di TLN (atau pendaftarannya dinonaktifkan). LMS mengirim Platform ID (issuer) "${issuer}" dan ${clientId === undefined ? 'tidak mengirim Client ID' : `Client ID "${clientId}"`}. Minta operator TLN mendaftarkan platform dengan nilai persis itu di halaman Platform LMS. Canvas yang di-hosting Instructure selalu memakai https://canvas.instructure.com dan Blackboard Learn https://blackboard.com, bukan alamat LMS sekolah.`,
    en: `This LMS is not registered with TLN (or its registration is deactivated). The LMS sent platform ID (issuer) "${issuer}" and ${clientId === undefined ? 'no client ID' : `client ID "${clientId}"`}. Ask a TLN operator to register a platform with exactly these values on the LMS platforms page. Instructure-hosted Canvas always uses https://canvas.instructure.com and Blackboard Learn https://blackboard.com, not the school's LMS address.`,
  }
}

/**
 * A launch the platform signed for a deployment TLN does not know yet. Canvas registers a tool
 * without a deployment (it makes one when the tool is installed), so this is the first launch
 * after its Dynamic Registration: the page names the deployment ID and the LMS, which the TLN
 * operator adds under LMS platforms (`/lti/admin/platforms` or `tln platform`). The values come
 * from a verified id_token; they are not secrets.
 */
function unknownDeploymentMessage(detail: Readonly<Record<string, unknown>> | undefined): Message {
  const deploymentId = typeof detail?.deploymentId === 'string' ? detail.deploymentId : '?'
  const issuer = typeof detail?.iss === 'string' ? detail.iss : '?'
  const clientId = typeof detail?.clientId === 'string' ? detail.clientId : '?'
  return {
    id: `Pemasangan TLN di LMS ini belum dikenal TLN. Minta operator TLN menambahkan ID deployment "${deploymentId}" pada platform LMS ${issuer} (client ID ${clientId}) di halaman Platform LMS, lalu buka lagi aktivitas ini.`,
    en: `This installation of TLN in your LMS is not known to TLN yet. Ask a TLN operator to add deployment ID "${deploymentId}" to the LMS platform ${issuer} (client ID ${clientId}) on the LMS platforms page, then open this activity again.`,
  }
}

/**
 * Dynamic Registration refused a platform URL on a special-purpose address (OWASP SSRF): which URL
 * (its origin), which kind of address and block, and how an operator allows a LAN platform. The
 * address a name resolved to stays in the log.
 */
function privateAddressMessage(detail: Readonly<Record<string, unknown>> | undefined): Message {
  const { url, kind, block } = refusedAddress(detail)
  return {
    id: `Pendaftaran dibatalkan: TLN tidak menghubungi ${url}, karena alamatnya alamat ${kind} (${block}), bukan alamat publik. Tidak ada yang disimpan. Bila LMS memang berada di jaringan lokal, operator TLN dapat mengizinkannya dengan TLN_LTI_PLATFORM_ALLOW_PRIVATE.`,
    en: `Registration stopped: TLN did not connect to ${url}, because its address is a ${kind} address (${block}), not a public one. Nothing was saved. If the LMS really is on a local network, a TLN operator can allow it with TLN_LTI_PLATFORM_ALLOW_PRIVATE.`,
  }
}

/** The longest text of a registration refusal repeated on the page: it may carry the platform's URLs and words. */
const MAX_SHOWN_PROBLEM = 600

const shown = (text: unknown): string | undefined => {
  if (typeof text !== 'string' || text === '') return undefined
  return text.length > MAX_SHOWN_PROBLEM ? `${text.slice(0, MAX_SHOWN_PROBLEM)}…` : text
}

/**
 * A Dynamic Registration refused for the LMS's configuration (LTI DR 1.0 §3.3–3.5.1): the page
 * names what is wrong (`detail.problem`, the library's words: a member, a content type, the
 * issuer) for the LMS administrator who started it, and says nothing was saved.
 */
function invalidConfigurationMessage(detail: Readonly<Record<string, unknown>> | undefined): Message {
  const problem = shown(detail?.problem)
  return {
    id: `Konfigurasi pendaftaran dari LMS tidak valid${problem === undefined ? '' : `: ${problem}`}. Tidak ada yang disimpan. Periksa pengaturan LTI di LMS, lalu mulai pendaftaran lagi dari LMS.`,
    en: `The registration data from the LMS is not valid${problem === undefined ? '' : `: ${problem}`}. Nothing was saved. Check the LMS's LTI settings, then start the registration again from the LMS.`,
  }
}

/**
 * The LMS answered a request of the registration with an error (LTI DR 1.0 §3.6.2): which request
 * (its configuration, or the registration itself), the URL, the HTTP status and what the LMS said,
 * e.g. Moodle's "token_already_used" when the registration link was used once already.
 */
function registrationFailedMessage(detail: Readonly<Record<string, unknown>> | undefined): Message {
  const url = shown(detail?.url) ?? '?'
  const status = typeof detail?.status === 'number' ? `HTTP ${detail.status}` : '?'
  const said = shown(detail?.platformError) ?? shown(detail?.problem)
  const saidId = said === undefined ? '' : ` Jawaban LMS: "${said}".`
  const saidEn = said === undefined ? '' : ` The LMS said: "${said}".`
  const again = {
    id: 'Tidak ada yang disimpan. Mulai pendaftaran lagi dari LMS: tautan pendaftaran dari LMS hanya berlaku sekali dan sebentar.',
    en: 'Nothing was saved. Start the registration again from the LMS: its registration link works once, for a short time.',
  }
  return detail?.step === 'openid-configuration'
    ? { id: `Pendaftaran gagal: TLN meminta konfigurasi LMS di ${url}, dan LMS menjawab ${status}.${saidId} ${again.id}`, en: `Registration failed: TLN asked the LMS for its configuration at ${url}, and the LMS answered ${status}.${saidEn} ${again.en}` }
    : { id: `Pendaftaran gagal: LMS menolak pendaftaran TLN di ${url} (${status}).${saidId} ${again.id}`, en: `Registration failed: the LMS refused TLN's registration at ${url} (${status}).${saidEn} ${again.en}` }
}

/**
 * A launch stopped because the platform's key set (`jwks_uri`, chosen by the platform when it
 * registered itself by Dynamic Registration) is on a special-purpose address the operator did not
 * allow: which URL (its origin), which kind of address and block, and how an operator allows it.
 */
function platformPrivateAddressMessage(detail: Readonly<Record<string, unknown>> | undefined): Message {
  const { url, kind, block } = refusedAddress(detail)
  return {
    id: `Masuk dibatalkan: TLN tidak menghubungi ${url}, alamat yang diberikan LMS ini ketika mendaftarkan dirinya (Dynamic Registration), karena alamatnya alamat ${kind} (${block}), bukan alamat publik. Bila LMS memang berada di jaringan lokal, operator TLN dapat mengizinkannya dengan TLN_LTI_PLATFORM_ALLOW_PRIVATE.`,
    en: `Sign-in stopped: TLN did not connect to ${url}, an address this LMS gave when it registered itself (Dynamic Registration), because it is a ${kind} address (${block}), not a public one. If the LMS really is on a local network, a TLN operator can allow it with TLN_LTI_PLATFORM_ALLOW_PRIVATE.`,
  }
}

/** What a refusal's detail says of the refused URL (its origin), kind of address and block. */
function refusedAddress(detail: Readonly<Record<string, unknown>> | undefined): { url: string; kind: string; block: string } {
  return {
    url: typeof detail?.url === 'string' && URL.canParse(detail.url) ? new URL(detail.url).origin : '?',
    kind: typeof detail?.kind === 'string' ? detail.kind : 'special-purpose',
    block: typeof detail?.cidr === 'string' ? `${detail.cidr}${typeof detail.reference === 'string' ? `, ${detail.reference}` : ''}` : '?',
  }
}

/** A short id the user can quote and the operator can find in the log. */
export function referenceId(): string {
  return randomBytes(5).toString('hex').toUpperCase()
}

/**
 * The edge of the tool: every error becomes a page in plain Indonesian and English with a
 * reference id, and its detail goes to the log (4xx at debug, 5xx at error with the stack;
 * STYLE.md rules 3 and 10). The `X-TLN-Error` header carries the stable code for tests and
 * operators; the page never shows it. `framing` is that of the router's pages (`http/headers.ts`).
 */
export function toolErrorHandler(logger: ToolLogger, options: { framing?: Framing } = {}): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let status = 500
    let code: LtiErrorCode | LtiToolErrorCode | undefined
    if (error instanceof LtiError) { code = error.code; status = LTI_ERROR_STATUS[error.code] }
    else if (error instanceof LtiToolError) { code = error.code; status = TOOL_ERROR_STATUS[error.code] }
    else {
      const s = (error as { status?: unknown }).status
      if (typeof s === 'number' && s >= 400 && s < 500) { status = s; code = 'ERR_TOOL_BAD_REQUEST' }
      // Text PostgreSQL cannot store (a NUL in a form field): the statement failed, nothing was written.
      else if (isUnstorableText(error)) { status = 400; code = 'ERR_TOOL_INVALID_TEXT' }
      else if (isDatabaseUnavailable(error)) { status = 503; code = 'ERR_TOOL_UNAVAILABLE' }
    }
    const ref = referenceId()
    const detail = { ref, code, status, url: req.originalUrl, message: (error as Error).message, detail: (error as { detail?: unknown }).detail }
    if (status < 500) logger.debug(detail, 'LTI request refused')
    else if (status === 503) logger.warn({ ...detail, err: error }, 'LTI request: database unavailable')
    else logger.error({ ...detail, err: error }, 'LTI request failed')
    if (res.headersSent) return
    toolPageHeaders(res, options.framing !== undefined ? { framing: options.framing } : {})
    if (error instanceof RateLimitedError) res.set('Retry-After', String(error.retryAfterS))
    if (status === 503) res.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S))
    // A body over a route's limit (body-parser 413) is no "incomplete request": say what to do about it.
    // A launch not bound to this browser (login CSRF check): offer the same login in a new window.
    const restart = error instanceof LtiStateNotBoundError ? error.restart : undefined
    res.status(status).set('X-TLN-Error', code ?? 'ERR_INTERNAL').type('html')
      .send(errorPage(status === 413 && !(error instanceof LtiToolError) ? BODY_TOO_LARGE
        : messageOf(code, error instanceof LtiError ? error.detail : undefined), ref, restart === undefined ? {} : { restartLogin: restart }))
  }
}

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt cost (RFC 7914): N = 2^15, r = 8, p = 1 — OWASP's minimum for scrypt, about 32 MiB and tens of ms. */
export const DEFAULT_SCRYPT = { logN: 15, r: 8, p: 1 } as const
export type ScryptParams = { readonly logN: number; readonly r: number; readonly p: number }

const KEY_LENGTH = 32
/** Shorter passwords are refused; longer than this is refused too (scrypt would take it, but nobody types it). */
export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 200

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: 256 * 2 ** params.logN * params.r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/**
 * Hash a password with scrypt (RFC 7914) and a 16-byte random salt. The string carries its
 * parameters, `scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64url), so the cost can be raised later
 * without breaking stored hashes.
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Parameters and parts of a stored hash, or undefined if it is not one of ours. */
function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/u.exec(stored)
  if (m === null) return undefined
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  // Bounds keep a tampered row from making one login cost gigabytes.
  if (params.logN < 10 || params.logN > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return undefined
  return { params, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') }
}

/** Does `password` match `stored`? Constant-time comparison; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored)
  if (parsed === undefined || parsed.key.length !== KEY_LENGTH) return false
  const key = await derive(password, parsed.salt, parsed.params)
  return timingSafeEqual(key, parsed.key)
}

/** Why a new password is refused, in both languages, or undefined when it is acceptable. */
export function passwordProblem(password: string): { id: string; en: string } | undefined {
  if (password.length < PASSWORD_MIN) return { id: `Kata sandi minimal ${PASSWORD_MIN} karakter.`, en: `The password needs at least ${PASSWORD_MIN} characters.` }
  if (password.length > PASSWORD_MAX) return { id: `Kata sandi paling banyak ${PASSWORD_MAX} karakter.`, en: `The password may have at most ${PASSWORD_MAX} characters.` }
  return undefined
}

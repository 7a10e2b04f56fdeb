import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from './config.ts'

export const SECRET_KEY_FILE = 'secret-key'

/**
 * The server secret that seals what TLN stores for others (LTI tool private keys and cached
 * access tokens, forwarding targets' credentials):
 * - `TLN_SECRET_KEY` when set (in production always, the same value on every process);
 * - else, on embedded PGlite (one process by construction), a secret generated once into
 *   `<TLN_DATA_DIR>/secret-key` (mode 0600) and reused, so a laptop or a demo needs no setup;
 * - else (PostgreSQL without `TLN_SECRET_KEY`) undefined: each process would invent its own and
 *   none could open the others' secrets, so the features that need it stay off and say why.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'database'>): string | undefined {
  if (config.secretKey !== undefined) return config.secretKey
  if (config.database.engine !== 'pglite') return undefined
  const path = join(config.database.dataDir, SECRET_KEY_FILE)
  try {
    const stored = readFileSync(path, 'utf8').trim()
    if (stored.length >= 32) return stored
    throw new Error(`${path} must hold at least 32 characters`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secret = randomBytes(32).toString('base64')
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(path, 0o600)
  return secret
}

/**
 * A 32-byte key for one use only (`purpose`), derived from the server secret: a key that leaks from
 * one use (the demo LMS's hints, say) opens nothing of another.
 */
export function purposeKey(secretKey: string, purpose: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`${purpose}\u0000${secretKey}`).digest())
}

/** The key that seals the LTI tool's keys. */
export function ltiKeySecret(secretKey: string): Uint8Array {
  return purposeKey(secretKey, 'tln-lti-tool-keys')
}

/** Why a feature needing the secret is off, for the log and the 503 answer. */
export const SECRET_KEY_MISSING =
  'TLN_SECRET_KEY is not set: on PostgreSQL every server process needs the same secret (openssl rand -base64 32) to seal and open stored keys'

/** `{ secretKey }` for `createLrs` when the server has one (forwarding targets' credentials). */
export function withSecretKey(config: Pick<Config, 'secretKey' | 'database'>): { secretKey?: string } {
  const secretKey = resolveSecretKey(config)
  return secretKey === undefined ? {} : { secretKey }
}

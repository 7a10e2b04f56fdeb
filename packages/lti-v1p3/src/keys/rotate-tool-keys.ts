import type { KeyStore, ToolKey } from '../stores/key-store.ts'
import { generateToolKey } from './tool-key.ts'

export interface RotateOptions {
  /**
   * How long a retired key stays published; default 7 days. Platforms cache the tool's JWKS, so a
   * token signed just before rotation must still verify (Security Framework 1.0 §6.3 key rotation).
   */
  readonly overlapMs?: number
  readonly now?: number
}

/**
 * Rotate the tool's signing key: a new key becomes current, the old one stays published for the
 * overlap, older retired keys are dropped. Returns the new current key.
 */
export async function rotateToolKeys(keys: KeyStore, options: RotateOptions = {}): Promise<ToolKey> {
  const now = options.now ?? Date.now()
  const next = await generateToolKey(now)
  await keys.rotate(next, now - (options.overlapMs ?? 7 * 24 * 3_600_000))
  return next
}

/** The current signing key, creating the first one if the store is empty. */
export async function currentToolKey(keys: KeyStore, now: number = Date.now()): Promise<ToolKey> {
  return (await keys.current()) ?? rotateToolKeys(keys, { now })
}

import type { JSONWebKeySet } from 'jose'
import type { KeyStore } from '../stores/key-store.ts'
import { publicJwkOf } from './tool-key.ts'

/**
 * The tool's public JWKS (Security Framework 1.0 §6.3): the current key and the previous keys
 * still in their overlap window, each with `kid`, `alg: 'RS256'` and `use: 'sig'` (Moodle
 * requires `alg` and `use` on every key).
 */
export async function toolJwks(keys: KeyStore): Promise<JSONWebKeySet> {
  const current = await keys.current()
  const previous = await keys.previous()
  return { keys: [...(current ? [current] : []), ...previous].map(publicJwkOf) }
}

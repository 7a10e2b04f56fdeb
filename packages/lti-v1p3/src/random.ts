import { randomBytes } from 'node:crypto'

/**
 * A fresh 256-bit random value, base64url-encoded (43 characters). Used for OIDC `state` and
 * `nonce` (Security Framework 1.0 §5.1.1.2: values "that cannot be guessed") and `jti`.
 */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

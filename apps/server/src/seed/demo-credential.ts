import { LrsError, type CredentialStore } from '@tln/lrs'

/**
 * The demo credential that `tln serve --demo` ensures and prints. Its secret is published in
 * this file and the docs, so it is only for a machine nobody else reaches: the name says so.
 */
export const DEMO_CREDENTIAL = {
  key: 'demo',
  secret: 'demo-secret-change-me',
  scopes: ['all'],
  label: 'Demo credential (tln serve --demo); revoke it on a shared server',
} as const

/**
 * - `created`: made now;
 * - `exists`: in place with the published secret;
 * - `taken`: the key exists with another secret or was revoked (an operator changed it): left alone.
 */
export type DemoCredentialState = 'created' | 'exists' | 'taken'

/** Makes sure the demo credential works, without ever overwriting one an operator changed. */
export async function ensureDemoCredential(credentials: CredentialStore): Promise<DemoCredentialState> {
  if ((await credentials.verify(DEMO_CREDENTIAL.key, DEMO_CREDENTIAL.secret)) !== undefined) return 'exists'
  try {
    await credentials.create({ key: DEMO_CREDENTIAL.key, secret: DEMO_CREDENTIAL.secret, scopes: [...DEMO_CREDENTIAL.scopes], label: DEMO_CREDENTIAL.label, tenant: 'default' })
    return 'created'
  } catch (error) {
    if (error instanceof LrsError && error.code === 'ERR_LRS_CONFLICT') return 'taken'
    throw error
  }
}

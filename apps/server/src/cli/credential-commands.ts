import { SCOPES, isScope, type CredentialStore } from '@tln/lrs'
import { ServerError } from '../errors.ts'
import type { Output } from './output.ts'

export interface CreateCredentialOptions {
  key?: string
  secret?: string
  /** Comma-separated xAPI scopes, e.g. `all` or `statements/read,statements/write`. */
  scopes: string
  tenant?: string
  label?: string
  json?: boolean
}

/**
 * Parses `--scopes`: a comma-separated list of xAPI scopes (xAPI 1.0.3 Communication 4.2).
 * @throws ServerError `ERR_USAGE` naming the unknown scopes and the valid ones
 */
export function parseScopes(list: string): string[] {
  const scopes = list.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const unknown = scopes.filter((s) => !isScope(s))
  if (scopes.length === 0 || unknown.length > 0) {
    const got = unknown.length > 0 ? `unknown: ${unknown.join(', ')}` : 'none given'
    throw new ServerError('ERR_USAGE', `--scopes must be a comma-separated list of ${SCOPES.join(', ')} (${got})`, '--scopes')
  }
  return [...new Set(scopes)]
}

/**
 * `tln credentials create`: makes an HTTP Basic credential without prompting; key and secret
 * are generated when not given. The secret is shown this once (it is stored hashed).
 */
export async function createCredential(credentials: CredentialStore, options: CreateCredentialOptions, output: Output): Promise<void> {
  const scopes = parseScopes(options.scopes)
  const { credential, secret } = await credentials.create({
    scopes,
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    ...(options.label !== undefined ? { label: options.label } : {}),
  })
  const tenant = options.tenant ?? 'default'
  const authorization = `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`
  if (options.json === true) {
    output.out(JSON.stringify({ key: credential.key, secret, scopes: credential.scopes, tenant, label: credential.label, authorization }))
    return
  }
  output.out(
    [
      `key:           ${credential.key}`,
      `secret:        ${secret}`,
      `scopes:        ${credential.scopes.join(',')}`,
      `tenant:        ${tenant}`,
      `label:         ${credential.label}`,
      `Authorization: ${authorization}`,
    ].join('\n'),
  )
  if (options.secret === undefined) output.err('The secret is stored hashed and cannot be shown again: keep it now.')
}

/** `tln credentials list`: active credentials (never secrets), one per line or as JSON. */
export async function listCredentials(credentials: CredentialStore, options: { json?: boolean }, output: Output): Promise<void> {
  const rows = await credentials.list()
  if (options.json === true) {
    output.out(JSON.stringify(rows.map((c) => ({ key: c.key, tenant: c.tenant, scopes: c.scopes, label: c.label }))))
    return
  }
  if (rows.length === 0) {
    output.err('No active credentials. Make one with: tln credentials create --scopes all')
    return
  }
  const width = Math.max(3, ...rows.map((c) => c.key.length))
  const tenantWidth = Math.max(6, ...rows.map((c) => c.tenant.length))
  output.out(`${'KEY'.padEnd(width)}  ${'TENANT'.padEnd(tenantWidth)}  SCOPES  LABEL`)
  for (const c of rows) output.out(`${c.key.padEnd(width)}  ${c.tenant.padEnd(tenantWidth)}  ${c.scopes.join(',')}  ${c.label}`)
}

/** `tln credentials revoke KEY`: the credential stops working on every running server with its next request. */
export async function revokeCredential(credentials: CredentialStore, key: string, output: Output): Promise<void> {
  if (!(await credentials.revoke(key))) throw new ServerError('ERR_NOT_FOUND', `no active credential with key ${key}`, 'KEY')
  output.out(`revoked ${key}`)
}

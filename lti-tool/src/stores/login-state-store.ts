import type { Knex } from '@tln/db'
import type { LoginState, LoginStateStore } from '@tln/lti-v1p3'
import { sha256 } from '../hash.ts'

interface Row {
  nonce: string; issuer: string; client_id: string; target_link_uri: string; expires_at: Date; storage_target: string | null; check_token_hash: string | null
  cookie_hash: string | null; login_hint: string | null; lti_message_hint: string | null; lti_deployment_id: string | null
}

/**
 * OIDC login states in PostgreSQL (`lti_login_state`), keyed by the SHA-256 of the state, with
 * the SHA-256 of the state cookie (never the cookie itself). `consume` is one `DELETE … RETURNING`: of two launches racing with one state, exactly one gets it
 * (Security Framework 1.0 §5.1.1.2, single use).
 */
export class DbLoginStateStore implements LoginStateStore {
  constructor(private readonly knex: Knex) {}

  async save(state: string, value: LoginState): Promise<void> {
    await this.knex('lti_login_state').insert({
      state_hash: sha256(state), nonce: value.nonce, issuer: value.iss, client_id: value.clientId,
      target_link_uri: value.targetLinkUri, expires_at: new Date(value.expiresAt),
      cookie_hash: value.cookieHash ?? null, login_hint: value.loginHint ?? null,
      lti_message_hint: value.ltiMessageHint ?? null, lti_deployment_id: value.ltiDeploymentId ?? null,
    })
  }

  async find(state: string): Promise<LoginState | undefined> {
    const row = (await this.knex('lti_login_state').where({ state_hash: sha256(state) }).first()) as Row | undefined
    return row === undefined ? undefined : toLoginState(row)
  }

  async consume(state: string): Promise<LoginState | undefined> {
    const [row] = (await this.knex('lti_login_state').where({ state_hash: sha256(state) }).delete().returning('*')) as Row[]
    return row === undefined ? undefined : toLoginState(row)
  }

  /** Note that this login went through platform storage (`lti_storage_target`): its launch must pass the storage check page first. */
  async markPlatformStorage(state: string, target: string): Promise<void> {
    await this.knex('lti_login_state').update({ storage_target: target }).where({ state_hash: sha256(state) })
  }

  /** Frame and platform origin of a platform-storage login (the origin of its authorization endpoint). */
  async storageTarget(state: string): Promise<{ target: string; origin: string }> {
    const row = (await this.knex('lti_login_state as s').join('lti_platform as p', function () { this.on('p.issuer', 's.issuer').andOn('p.client_id', 's.client_id') })
      .select('s.storage_target', 'p.authorization_endpoint').where('s.state_hash', sha256(state)).first()) as { storage_target: string; authorization_endpoint: string } | undefined
    if (row === undefined) return { target: '_parent', origin: 'null' }
    return { target: row.storage_target, origin: new URL(row.authorization_endpoint).origin }
  }

  /** Whether a live login used platform storage, without consuming it. */
  async usesPlatformStorage(state: string): Promise<boolean> {
    const row = (await this.knex('lti_login_state').select('storage_target').where({ state_hash: sha256(state) }).first()) as Pick<Row, 'storage_target'> | undefined
    return row?.storage_target != null
  }

  /** Remember the one-time token of the storage check page rendered for this state. */
  async setCheckToken(state: string, token: string): Promise<void> {
    await this.knex('lti_login_state').update({ check_token_hash: sha256(token) }).where({ state_hash: sha256(state) })
  }

  /** True when `token` is the check token issued for this state (compared as hashes). */
  async checkTokenMatches(state: string, token: string): Promise<boolean> {
    const row = (await this.knex('lti_login_state').select('check_token_hash').where({ state_hash: sha256(state) }).first()) as Pick<Row, 'check_token_hash'> | undefined
    return row?.check_token_hash != null && row.check_token_hash === sha256(token)
  }
}

function toLoginState(row: Row): LoginState {
  return {
    nonce: row.nonce, iss: row.issuer, clientId: row.client_id, targetLinkUri: row.target_link_uri, expiresAt: new Date(row.expires_at).getTime(),
    ...(row.cookie_hash !== null && { cookieHash: row.cookie_hash }),
    ...(row.login_hint !== null && { loginHint: row.login_hint }),
    ...(row.lti_message_hint !== null && { ltiMessageHint: row.lti_message_hint }),
    ...(row.lti_deployment_id !== null && { ltiDeploymentId: row.lti_deployment_id }),
  }
}

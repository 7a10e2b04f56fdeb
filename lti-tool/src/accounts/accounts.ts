import type { Knex } from '@tln/db'
import { LtiToolError } from '../errors.ts'
import { randomId, sha256 } from '../hash.ts'
import { OrgStore } from '../org/org-store.ts'
import type { GrantRole } from '../org/org-types.ts'
import type { TlnRole } from '../session/roles.ts'
import { UserStore, type TlnUser } from '../session/user-store.ts'
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, verifyPassword, type ScryptParams } from './password.ts'

/** The `issuer` of the `lti_user` row behind a local account: sessions then work as for a launch. */
export const LOCAL_ISSUER = 'urn:tln:local'

/** Roles a local account may be invited with (people without an LMS account). */
export type LocalRole = Extract<GrantRole, 'district-admin' | 'bppaud' | 'monitor' | 'admin'>
export const LOCAL_ROLES: readonly LocalRole[] = ['district-admin', 'bppaud', 'monitor', 'admin']

/** After this many failed logins in a row the account is locked … */
export const MAX_FAILED_LOGINS = 5
/** … for this long. */
export const LOCKOUT_MS = 15 * 60_000
/** Per-address delay: this much per recent failure from the address, at most `MAX_DELAY_MS`; failures older than `LOCKOUT_MS` are forgotten. */
export const DELAY_STEP_MS = 250
export const MAX_DELAY_MS = 2_000
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000

export interface LocalAccount {
  readonly id: string
  readonly tenantId: string
  readonly personId: string
  readonly email: string
  readonly name: string
  readonly hasPassword: boolean
}

export interface Invitation {
  readonly account: LocalAccount
  /** The link to send (contains the single-use token; never stored). */
  readonly link: string
  readonly expiresAt: Date
}

export type LoginOutcome =
  | { readonly ok: true; readonly user: TlnUser; readonly account: LocalAccount; readonly role: GrantRole }
  | { readonly ok: false; readonly code: 'ERR_TOOL_LOGIN_FAILED' | 'ERR_TOOL_ACCOUNT_LOCKED'; readonly lockedUntil?: Date }

export interface AccountsDeps {
  readonly knex: Knex
  /** `https://tln.example.org`: invitation links are `${publicUrl}/invite/<token>`. */
  readonly publicUrl: string
  readonly now?: () => number
  /** scrypt cost; tests lower it. */
  readonly scrypt?: ScryptParams
  /** How the per-address delay waits; tests record instead of sleeping. */
  readonly sleep?: (ms: number) => Promise<void>
  readonly invitationTtlMs?: number
}

interface AccountRow { id: string; tenant_id: string; person_id: string; email: string; password_hash: string | null; failed_logins: number; locked_until: Date | null; name: string }

const toAccount = (r: AccountRow): LocalAccount => ({ id: r.id, tenantId: r.tenant_id, personId: r.person_id, email: r.email, name: r.name, hasPassword: r.password_hash !== null })

/**
 * Local accounts for people who have no LMS account (district admins, BPPAUD staff, monitors):
 * invitations, sign-in with lockout, and administrator resets. Each account is a person of the
 * organisation with grants; signing in yields the `lti_user` row (issuer `urn:tln:local`, sub = the
 * account id) that the session store opens sessions for, exactly as after a launch.
 */
export class Accounts {
  private readonly knex: Knex
  private readonly now: () => number
  private readonly scrypt: ScryptParams
  private readonly sleep: (ms: number) => Promise<void>
  private readonly org: OrgStore
  private readonly users: UserStore
  private dummyHash: Promise<string> | undefined

  constructor(private readonly deps: AccountsDeps) {
    this.knex = deps.knex
    this.now = deps.now ?? Date.now
    this.scrypt = deps.scrypt ?? DEFAULT_SCRYPT
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.org = new OrgStore(deps.knex)
    this.users = new UserStore(deps.knex)
  }

  /**
   * Create an account with a grant (role on a node; `nodeId` undefined = the whole tenant, for
   * `admin` only) and an invitation link. The person is matched by e-mail in the tenant, so a
   * teacher already imported keeps one record.
   * @throws LtiToolError `ERR_TOOL_CONFLICT` when the e-mail has an account already (use `reset`)
   */
  async invite(input: { tenantId: string; email: string; name: string; role: LocalRole; nodeId?: string }): Promise<Invitation> {
    const email = input.email.trim()
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email)) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', `"${email}" is not an e-mail address`)
    if (input.name.trim() === '') throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'a name is required')
    if ((input.role === 'admin') !== (input.nodeId === undefined)) {
      throw new LtiToolError('ERR_TOOL_BAD_REQUEST', input.role === 'admin' ? 'an admin holds the whole tenant: give no scope' : `a ${input.role} needs a scope (an organisation node)`)
    }
    return this.knex.transaction(async (trx) => {
      if (input.nodeId !== undefined && (await this.org.node(input.tenantId, input.nodeId, trx)) === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'scope node not found in this tenant')
      const taken = await trx('local_account').whereRaw('lower(email) = lower(?)', [email]).first('id')
      if (taken !== undefined) throw new LtiToolError('ERR_TOOL_CONFLICT', `${email} has an account already; an administrator can reset it (tln accounts reset)`)
      const person = await this.org.upsertPerson(input.tenantId, { name: input.name.trim(), email }, trx)
      await this.org.grant(input.tenantId, person.id, input.role, input.nodeId, trx)
      const [row] = (await trx('local_account').insert({ tenant_id: input.tenantId, person_id: person.id, email }).returning('*')) as AccountRow[]
      const account = toAccount({ ...row!, name: person.name })
      return { account, ...(await this.newInvitation(trx, account.id)) }
    })
  }

  /**
   * An administrator's reset: the password and any earlier invitation stop working, the lockout
   * is lifted, and a new invitation link is made.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND`
   */
  async reset(email: string, tenantId?: string): Promise<Invitation> {
    return this.knex.transaction(async (trx) => {
      const row = await this.accountByEmail(email, trx)
      if (row === undefined || (tenantId !== undefined && row.tenant_id !== tenantId)) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no account for ${email}`)
      await trx('account_invitation').where({ account_id: row.id }).delete()
      await trx('local_account').where({ id: row.id }).update({ password_hash: null, failed_logins: 0, locked_until: null, updated_at: new Date(this.now()) })
      return { account: toAccount({ ...row, password_hash: null }), ...(await this.newInvitation(trx, row.id)) }
    })
  }

  /** The account an invitation token opens, if the token is live (does not use it up). */
  async invitation(token: string): Promise<LocalAccount | undefined> {
    const row = (await this.knex('account_invitation as i').join('local_account as a', 'a.id', 'i.account_id').join('person as p', 'p.id', 'a.person_id')
      .select('a.*', 'p.name').where('i.token_hash', sha256(token)).andWhere('i.expires_at', '>', new Date(this.now())).first()) as AccountRow | undefined
    return row === undefined ? undefined : toAccount(row)
  }

  /**
   * Set the password through an invitation: the token is used up in the same transaction
   * (`DELETE … RETURNING`), so a link works once; an expired token does nothing.
   * @throws LtiToolError `ERR_TOOL_TICKET_INVALID` (unknown, used or expired), `ERR_TOOL_BAD_REQUEST` (weak password; the token stays usable)
   */
  async acceptInvitation(token: string, password: string): Promise<LoginOutcome & { ok: true }> {
    const problem = passwordProblem(password)
    if (problem !== undefined) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', problem.en)
    const hash = await hashPassword(password, this.scrypt)
    const accountId = await this.knex.transaction(async (trx) => {
      const [used] = (await trx('account_invitation').where({ token_hash: sha256(token) }).delete().returning(['account_id', 'expires_at'])) as Array<{ account_id: string; expires_at: Date }>
      if (used === undefined || new Date(used.expires_at).getTime() <= this.now()) throw new LtiToolError('ERR_TOOL_TICKET_INVALID', 'invitation unknown, used or expired')
      await trx('local_account').where({ id: used.account_id }).update({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date(this.now()) })
      return used.account_id
    })
    const row = (await this.accountQuery(this.knex).where('a.id', accountId).first()) as AccountRow
    return this.signedIn(row)
  }

  /**
   * Sign in: first the per-address delay, then the account's lock, then the password (scrypt
   * runs for unknown e-mails too, so timing does not tell which e-mails exist). The fifth failure
   * in a row locks the account for 15 minutes; a success clears the count.
   */
  async login(email: string, password: string, address: string): Promise<LoginOutcome> {
    const now = this.now()
    const throttle = (await this.knex('login_throttle').where({ address }).first()) as { failures: number; last_failure_at: Date } | undefined
    if (throttle !== undefined && now - new Date(throttle.last_failure_at).getTime() < LOCKOUT_MS) {
      await this.sleep(Math.min(throttle.failures * DELAY_STEP_MS, MAX_DELAY_MS))
    }
    const row = await this.accountByEmail(email.trim(), this.knex)
    if (row !== undefined && row.locked_until !== null && new Date(row.locked_until).getTime() > now) {
      await this.failedFrom(address, now)
      return { ok: false, code: 'ERR_TOOL_ACCOUNT_LOCKED', lockedUntil: new Date(row.locked_until) }
    }
    const stored = row?.password_hash ?? null
    const matches = await verifyPassword(password, stored ?? (await this.dummy()))
    if (row !== undefined && stored !== null && matches) {
      await this.knex('local_account').where({ id: row.id }).update({ failed_logins: 0, locked_until: null })
      return this.signedIn(row)
    }
    await this.failedFrom(address, now)
    if (row === undefined) return { ok: false, code: 'ERR_TOOL_LOGIN_FAILED' }
    // One statement, so two failures racing on two processes both count.
    const [after] = (await this.knex('local_account').where({ id: row.id }).update({
      failed_logins: this.knex.raw('case when failed_logins + 1 >= ? then 0 else failed_logins + 1 end', [MAX_FAILED_LOGINS]),
      locked_until: this.knex.raw('case when failed_logins + 1 >= ? then ?::timestamptz else locked_until end', [MAX_FAILED_LOGINS, new Date(now + LOCKOUT_MS)]),
    }).returning(['locked_until'])) as Array<{ locked_until: Date | null }>
    const lockedUntil = after?.locked_until == null ? undefined : new Date(after.locked_until)
    return lockedUntil !== undefined && lockedUntil.getTime() > now
      ? { ok: false, code: 'ERR_TOOL_ACCOUNT_LOCKED', lockedUntil }
      : { ok: false, code: 'ERR_TOOL_LOGIN_FAILED' }
  }

  /** The local account behind a session user, if it is one. */
  async accountOf(user: TlnUser): Promise<LocalAccount | undefined> {
    if (user.issuer !== LOCAL_ISSUER) return undefined
    const row = (await this.accountQuery(this.knex).where({ 'a.id': user.sub, 'a.tenant_id': user.tenantId }).first()) as AccountRow | undefined
    return row === undefined ? undefined : toAccount(row)
  }

  private async signedIn(row: AccountRow): Promise<LoginOutcome & { ok: true }> {
    const grants = await this.org.grants(row.tenant_id, row.person_id)
    const role = strongest(grants.map((g) => g.role))
    const tlnRole: TlnRole = role === 'admin' ? 'admin' : 'guest'
    const user = await this.users.upsert({ tenantId: row.tenant_id, issuer: LOCAL_ISSUER, sub: row.id, name: row.name, email: row.email, role: tlnRole })
    return { ok: true, user, account: toAccount(row), role: role ?? 'monitor' }
  }

  private async newInvitation(db: Knex | Knex.Transaction, accountId: string): Promise<{ link: string; expiresAt: Date }> {
    const token = randomId()
    const expiresAt = new Date(this.now() + (this.deps.invitationTtlMs ?? INVITATION_TTL_MS))
    await db('account_invitation').insert({ token_hash: sha256(token), account_id: accountId, expires_at: expiresAt })
    return { link: `${this.deps.publicUrl}/invite/${token}`, expiresAt }
  }

  private async failedFrom(address: string, now: number): Promise<void> {
    const at = new Date(now)
    const forgetBefore = new Date(now - LOCKOUT_MS)
    await this.knex.raw(
      `insert into login_throttle (address, failures, last_failure_at) values (?, 1, ?)
       on conflict (address) do update set
         failures = case when login_throttle.last_failure_at < ? then 1 else login_throttle.failures + 1 end,
         last_failure_at = excluded.last_failure_at`,
      [address, at, forgetBefore],
    )
  }

  private accountQuery(db: Knex | Knex.Transaction) {
    return db('local_account as a').join('person as p', 'p.id', 'a.person_id').select('a.*', 'p.name')
  }

  private async accountByEmail(email: string, db: Knex | Knex.Transaction): Promise<AccountRow | undefined> {
    return (await this.accountQuery(db).whereRaw('lower(a.email) = lower(?)', [email]).first()) as AccountRow | undefined
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomId(), this.scrypt)
    return this.dummyHash
  }
}

const STRENGTH: readonly GrantRole[] = ['admin', 'bppaud', 'district-admin', 'coordinator', 'facilitator', 'monitor', 'teacher']

/** The widest role among grants, for display. */
function strongest(roles: readonly GrantRole[]): GrantRole | undefined {
  return STRENGTH.find((r) => roles.includes(r))
}

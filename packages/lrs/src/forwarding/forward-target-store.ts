import type { Knex } from '@tln/db'
import { isIri } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import type { StreamPosition } from '../stream/stream-position.ts'
import type { SecretBox } from './secret-box.ts'

/** A remote LRS as administrators see it: never the secret. */
export interface ForwardTarget {
  id: string
  tenantId: string
  name: string
  endpoint: string
  key: string
  xapiVersion: '1.0.3' | '2.0.0'
  /** Only statements with one of these verbs; every verb when empty. */
  verbs: string[]
  /** Only statements whose object id starts with this. */
  activityPrefix: string | null
  enabled: boolean
  cursor: StreamPosition
  forwarded: number
  lastError: string | null
  lastSuccessAt: Date | null
  deadLetters: number
}

/** A target with its secret opened, for the forwarder only. */
export interface ForwardTargetWithSecret extends ForwardTarget {
  secret: string
}

export interface NewForwardTarget {
  name: string
  endpoint: string
  key: string
  secret: string
  xapiVersion?: string
  verbs?: string[]
  activityPrefix?: string
  enabled?: boolean
  /** `beginning` forwards every stored statement; `now` only those stored from now on. */
  from?: 'beginning' | 'now'
}

export interface DeadLetter {
  id: number
  seq: number
  statementId: string
  status: number
  error: string
  createdAt: Date
  retriedAt: Date | null
}

type Row = {
  id: string
  tenant_id: string
  name: string
  endpoint: string
  auth_key: string
  secret_sealed: string
  xapi_version: string
  verbs: string[]
  activity_prefix: string | null
  enabled: boolean
  cursor_txid: number
  cursor_seq: number
  forwarded: number
  last_error: string | null
  last_success_at: Date | null
  dead_letters: number
}

/**
 * Forwarding targets, their cursors, leases and dead letters. The cursor and the lease live in
 * the database (the server is stateless): a restart resumes where the remote last acknowledged,
 * and of several server processes only the lease holder forwards to a target.
 */
export class ForwardTargetStore {
  constructor(
    private readonly knex: Knex,
    private readonly box: SecretBox | undefined,
  ) {}

  async add(tenantId: string, input: NewForwardTarget): Promise<ForwardTarget> {
    if (this.box === undefined) {
      throw new LrsError('ERR_LRS_NOT_CONFIGURED', 'forwarding stores the remote secret encrypted: start the server with a secret key (TLN_SECRET_KEY, at least 32 characters)', 'secret')
    }
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(input.name)) throw new LrsError('ERR_LRS_BAD_REQUEST', 'name must be 1–63 lowercase letters, digits, dot, underscore or hyphen', 'name')
    let endpoint: URL
    try {
      endpoint = new URL(input.endpoint)
    } catch {
      throw new LrsError('ERR_LRS_BAD_REQUEST', 'endpoint must be an absolute http(s) URL such as https://lrs.example/xapi/', 'endpoint')
    }
    if ((endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') || endpoint.username !== '' || endpoint.password !== '' || endpoint.search !== '') {
      throw new LrsError('ERR_LRS_BAD_REQUEST', 'endpoint must be an http(s) URL without credentials or query; give the key and secret separately', 'endpoint')
    }
    if (!endpoint.pathname.endsWith('/')) endpoint.pathname += '/'
    if (input.key === '' || input.key.includes(':')) throw new LrsError('ERR_LRS_BAD_REQUEST', 'key must be a non-empty Basic user name without ":"', 'key')
    if (input.secret === '') throw new LrsError('ERR_LRS_BAD_REQUEST', 'secret must not be empty', 'secret')
    const version = input.xapiVersion ?? '1.0.3'
    if (version !== '1.0.3' && version !== '2.0.0') throw new LrsError('ERR_LRS_BAD_REQUEST', 'xapiVersion must be 1.0.3 or 2.0.0', 'xapiVersion')
    const verbs = input.verbs ?? []
    const badVerb = verbs.find((v) => !isIri(v))
    if (badVerb !== undefined) throw new LrsError('ERR_LRS_BAD_REQUEST', `every verb must be an IRI; got ${badVerb}`, 'verbs')
    const taken = await this.knex('forward_target').where({ tenant_id: tenantId, name: input.name }).first()
    if (taken !== undefined) throw new LrsError('ERR_LRS_CONFLICT', `a forwarding target named ${input.name} exists already`, 'name')
    let cursor = { txid: 0, seq: 0 }
    if (input.from === 'now') {
      const { rows } = (await this.knex.raw('select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin')) as { rows: Array<{ xmin: number }> }
      cursor = { txid: rows[0]!.xmin, seq: 0 }
    }
    await this.knex('forward_target').insert({
      tenant_id: tenantId,
      name: input.name,
      endpoint: endpoint.toString(),
      auth_key: input.key,
      secret_sealed: this.box.seal(input.secret),
      xapi_version: version,
      verbs,
      activity_prefix: input.activityPrefix ?? null,
      enabled: input.enabled ?? true,
      cursor_txid: cursor.txid,
      cursor_seq: cursor.seq,
    })
    return (await this.find(tenantId, input.name))!
  }

  /** Targets of a tenant, or of every tenant. */
  async list(tenantId?: string): Promise<ForwardTarget[]> {
    const rows = (await this.select().modify((q) => {
      if (tenantId !== undefined) q.where('t.tenant_id', tenantId)
    })) as Row[]
    return rows.map(toTarget)
  }

  async find(tenantId: string, name: string): Promise<ForwardTarget | undefined> {
    const [row] = (await this.select().where({ 't.tenant_id': tenantId, 't.name': name })) as Row[]
    return row === undefined ? undefined : toTarget(row)
  }

  /** Every enabled target, with its secret, for the forwarder. */
  async enabledWithSecrets(): Promise<ForwardTargetWithSecret[]> {
    const rows = (await this.select().where('t.enabled', true)) as Row[]
    return rows.flatMap((row) => (this.box === undefined ? [] : [{ ...toTarget(row), secret: this.box.open(row.secret_sealed) }]))
  }

  async withSecret(tenantId: string, name: string): Promise<ForwardTargetWithSecret> {
    const [row] = (await this.select().where({ 't.tenant_id': tenantId, 't.name': name })) as Row[]
    if (row === undefined) throw new LrsError('ERR_LRS_NOT_FOUND', `no forwarding target named ${name}`, 'name')
    if (this.box === undefined) throw new LrsError('ERR_LRS_NOT_CONFIGURED', 'the secret key (TLN_SECRET_KEY) is needed to reach the remote LRS', 'secret')
    return { ...toTarget(row), secret: this.box.open(row.secret_sealed) }
  }

  async setEnabled(tenantId: string, name: string, enabled: boolean): Promise<boolean> {
    return (await this.knex('forward_target').update({ enabled }).where({ tenant_id: tenantId, name })) > 0
  }

  async remove(tenantId: string, name: string): Promise<boolean> {
    return (await this.knex('forward_target').delete().where({ tenant_id: tenantId, name })) > 0
  }

  /**
   * Takes or renews the lease of a target for `ms`, by the database clock: succeeds when the
   * lease is free, expired, or ours already. One forwarder per target across processes.
   */
  async acquireLease(targetId: string, owner: string, ms: number): Promise<boolean> {
    const count = await this.knex('forward_target')
      .update({ lease_owner: owner, lease_until: this.knex.raw(`now() + make_interval(secs => ?)`, [ms / 1000]) })
      .where({ id: targetId })
      .andWhere((q) => q.whereNull('lease_owner').orWhere('lease_until', '<', this.knex.fn.now()).orWhere('lease_owner', owner))
    return count > 0
  }

  async releaseLease(targetId: string, owner: string): Promise<void> {
    await this.knex('forward_target').update({ lease_owner: null, lease_until: null }).where({ id: targetId, lease_owner: owner })
  }

  /**
   * Moves the cursor after the remote acknowledged, and renews the lease; false when the lease
   * was lost meanwhile (another process took over), in which case nothing changes.
   */
  async advance(targetId: string, owner: string, position: StreamPosition, forwarded: number, leaseMs: number): Promise<boolean> {
    const count = await this.knex('forward_target')
      .update({
        cursor_txid: position.txid,
        cursor_seq: position.seq,
        forwarded: this.knex.raw('forwarded + ?', [forwarded]),
        last_error: null,
        ...(forwarded > 0 ? { last_success_at: this.knex.fn.now() } : {}),
        lease_until: this.knex.raw(`now() + make_interval(secs => ?)`, [leaseMs / 1000]),
      })
      .where({ id: targetId, lease_owner: owner })
    return count > 0
  }

  async recordError(targetId: string, error: string): Promise<void> {
    await this.knex('forward_target').update({ last_error: error.slice(0, 1000) }).where({ id: targetId })
  }

  async addDeadLetter(targetId: string, letter: { seq: number; statementId: string; status: number; error: string }): Promise<void> {
    await this.knex('forward_dead_letter')
      .insert({ target_id: targetId, seq: letter.seq, statement_id: letter.statementId, status: letter.status, error: letter.error.slice(0, 4000) })
      .onConflict(['target_id', 'seq'])
      .merge(['status', 'error'])
  }

  async deadLetters(targetId: string): Promise<DeadLetter[]> {
    const rows = (await this.knex('forward_dead_letter').where({ target_id: targetId }).orderBy('seq')) as Array<{
      id: number
      seq: number
      statement_id: string
      status: number
      error: string
      created_at: Date
      retried_at: Date | null
    }>
    return rows.map((r) => ({ id: r.id, seq: r.seq, statementId: r.statement_id, status: r.status, error: r.error, createdAt: r.created_at, retriedAt: r.retried_at }))
  }

  /** The dead letters of a target with the statements as stored, oldest first. */
  async deadLetterStatements(targetId: string): Promise<Array<{ id: number; seq: number; json: string }>> {
    return (await this.knex('forward_dead_letter as d')
      .join('forward_target as t', 't.id', 'd.target_id')
      .join('xapi_statement as s', (j) => j.on('s.seq', 'd.seq').andOn('s.tenant_id', 't.tenant_id'))
      .where('d.target_id', targetId)
      .select('d.id', 'd.seq', this.knex.raw('s.statement::text as json'))
      .orderBy('d.seq')) as Array<{ id: number; seq: number; json: string }>
  }

  async resolveDeadLetter(id: number): Promise<void> {
    await this.knex('forward_dead_letter').delete().where({ id })
  }

  async retryFailed(id: number, status: number, error: string): Promise<void> {
    await this.knex('forward_dead_letter').update({ status, error: error.slice(0, 4000), retried_at: this.knex.fn.now() }).where({ id })
  }

  private select(): Knex.QueryBuilder {
    return this.knex('forward_target as t')
      .select('t.*', this.knex.raw('(select count(*) from forward_dead_letter d where d.target_id = t.id)::int as dead_letters'))
      .orderBy('t.name')
  }
}

function toTarget(row: Row): ForwardTarget {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    endpoint: row.endpoint,
    key: row.auth_key,
    xapiVersion: row.xapi_version === '2.0.0' ? '2.0.0' : '1.0.3',
    verbs: row.verbs,
    activityPrefix: row.activity_prefix,
    enabled: row.enabled,
    cursor: { txid: row.cursor_txid, seq: row.cursor_seq },
    forwarded: row.forwarded,
    lastError: row.last_error,
    lastSuccessAt: row.last_success_at,
    deadLetters: row.dead_letters,
  }
}

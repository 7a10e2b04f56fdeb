import type { Knex } from '@tln/db'
import type { DeepLinkingSettings } from '@tln/lti-v1p3'
import { randomId, sha256 } from '../hash.ts'

/** A Deep Linking request whose picker is open: what the answer needs once the user has chosen. */
export interface PendingDeepLinking {
  readonly platformId: string
  readonly userId: string
  readonly deploymentId: string
  readonly settings: DeepLinkingSettings
}

interface Row { platform_id: string; user_id: string; deployment_id: string; settings: unknown; expires_at: Date }

/**
 * Open Deep Linking requests in PostgreSQL (`lti_deep_linking_request`). The picker form carries
 * a random 256-bit token, not a cookie (inside the LMS iframe the cookie may not come back); the
 * row keeps its SHA-256. Single use: `consume` is one `DELETE … RETURNING`, so a form posted twice
 * answers the platform once.
 */
export class DeepLinkingStore {
  constructor(private readonly knex: Knex, private readonly now: () => number) {}

  /** Remember a verified request for `ttlMs`; returns the token for the picker form. */
  async open(request: PendingDeepLinking, ttlMs: number): Promise<string> {
    const token = randomId()
    await this.knex('lti_deep_linking_request').insert({
      token_hash: sha256(token), platform_id: request.platformId, user_id: request.userId, deployment_id: request.deploymentId,
      settings: JSON.stringify(request.settings), expires_at: new Date(this.now() + ttlMs),
    })
    return token
  }

  /** The live request of `token` without using it up (to show the picker again), or undefined. */
  async find(token: string): Promise<PendingDeepLinking | undefined> {
    const row = (await this.knex('lti_deep_linking_request').where('token_hash', sha256(token)).andWhere('expires_at', '>', new Date(this.now())).first()) as Row | undefined
    return row === undefined ? undefined : toPending(row)
  }

  /** Use the token up; undefined when unknown, used or expired. */
  async consume(token: string): Promise<PendingDeepLinking | undefined> {
    const [row] = (await this.knex('lti_deep_linking_request').where('token_hash', sha256(token)).delete()
      .returning(['platform_id', 'user_id', 'deployment_id', 'settings', 'expires_at'])) as Row[]
    if (row === undefined || new Date(row.expires_at).getTime() <= this.now()) return undefined
    return toPending(row)
  }
}

function toPending(row: Row): PendingDeepLinking {
  const settings = (typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings) as DeepLinkingSettings
  return { platformId: row.platform_id, userId: row.user_id, deploymentId: row.deployment_id, settings }
}

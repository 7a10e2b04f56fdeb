import { LrsError, type Credential, type CredentialStore, type RequestContext, type StatementService } from '@tln/lrs'
import { validateStatementBatch } from '@tln/xapi'
import { ServerError } from '../errors.ts'
import { demoStatements } from './demo-statements.ts'

/**
 * The credential the demo statements are stored under: their `authority` (xAPI 1.0.3 Data
 * 2.4.9). Write-only, with a random secret nobody is told, so it grants nothing to anyone.
 */
export const DEMO_SEED_CREDENTIAL = { key: 'tln-demo-seed', label: 'TLN demo data (tln seed demo)', scopes: ['statements/write'] } as const

export interface SeedOptions {
  /** Store every batch even when the demo data is there already (the LRS then stores nothing new). */
  force?: boolean
  /** Statements per `storeStatements` call (one transaction each). */
  batchSize?: number
  /** Called after each batch, for progress output. */
  onBatch?: (done: number, total: number) => void
}

export interface SeedResult {
  /** How many demo statements there are. */
  statements: number
  /** True when the demo data was found in place and nothing was sent. */
  alreadySeeded: boolean
}

/**
 * Seeds the demo data of the TLN paper into tenant `default`, through the same path as any
 * client: validated as xAPI 1.0.3, then stored in batches, all-or-nothing each. Idempotent:
 * statement ids are fixed, and the LRS stores a statement it already holds with the same
 * content as nothing new (xAPI 1.0.3 Communication 2.1.2), so an interrupted seed can simply
 * run again. The last statement of the stream marks a finished seed.
 */
export async function seedDemo(lrs: { statements: StatementService; credentials: CredentialStore }, options: SeedOptions = {}): Promise<SeedResult> {
  const credential = await seedCredential(lrs.credentials)
  const context: RequestContext = { tenantId: credential.tenantId, credential, version: '1.0.3' }
  const all = demoStatements()
  const last = all[all.length - 1]!
  if (options.force !== true && (await lrs.statements.getStatement(context, { statementId: last.id })) !== undefined) {
    return { statements: all.length, alreadySeeded: true }
  }
  const size = options.batchSize ?? 200
  for (let start = 0; start < all.length; start += size) {
    const batch = validateStatementBatch(all.slice(start, start + size), { version: '1.0.3' })
    await lrs.statements.storeStatements(context, batch)
    options.onBatch?.(Math.min(start + size, all.length), all.length)
  }
  return { statements: all.length, alreadySeeded: false }
}

async function seedCredential(credentials: CredentialStore): Promise<Credential> {
  const existing = (await credentials.list()).find((c) => c.key === DEMO_SEED_CREDENTIAL.key && c.tenant === 'default')
  if (existing !== undefined) return existing
  try {
    const { credential } = await credentials.create({ ...DEMO_SEED_CREDENTIAL, scopes: [...DEMO_SEED_CREDENTIAL.scopes], tenant: 'default' })
    return credential
  } catch (error) {
    if (error instanceof LrsError && error.code === 'ERR_LRS_CONFLICT') {
      throw new ServerError('ERR_USAGE', `the demo seed credential ${DEMO_SEED_CREDENTIAL.key} was revoked (or belongs to another tenant); demo data is stored under it, so it cannot be seeded now`, DEMO_SEED_CREDENTIAL.key)
    }
    throw error
  }
}

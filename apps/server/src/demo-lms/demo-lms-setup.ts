import type { Knex } from '@tln/db'
import { checkPlatformForm, OrgStore, type DbPlatformStore } from '@tln/lti-tool'
import { generateToolKey, openPrivateKey, sealPrivateKey, type ToolKey } from '@tln/lti-v1p3'
import { ServerError } from '../errors.ts'
import { purposeKey } from '../secret-key.ts'
import { demoLmsPeople, type DemoLmsPerson } from './demo-lms-people.ts'

/** The client id TLN has on the demo LMS, and the LMS's one deployment of it. */
export const DEMO_LMS_CLIENT_ID = 'tln-demo-lms'
export const DEMO_LMS_DEPLOYMENT_ID = 'demo-deployment-1'

/** The demo LMS as registered: its issuer, TLN's client id and deployment, its signing key and its accounts. */
export interface DemoLms {
  readonly issuer: string
  readonly clientId: string
  readonly deploymentId: string
  readonly key: ToolKey
  readonly people: readonly DemoLmsPerson[]
  /** What `ensureDemoLms` did to the registration. */
  readonly registration: 'added' | 'exists'
}

/** The issuer of the demo LMS on a server with this public URL: a path of the server itself. */
export function demoLmsIssuer(publicUrl: string): string {
  return `${publicUrl}/demo/lms`
}

/**
 * Makes the demo LMS ready (`tln serve --demo` only), idempotently, in tenant `default`:
 * 1. its platform registration, through the checks and store of `tln platform add` (active, `cli`);
 * 2. its RS256 key pair, generated once into `demo_lms_key` with the private half sealed, so a restart signs with the key the tool knows;
 * 3. the demo people's links to their demo LMS accounts (`person.lti_issuer`/`lti_sub`), as an administrator's
 *    organisation import or a roster sync would make them, so their launches land as placed people.
 * Throws `ERR_CONFIG_INVALID` when the public URL cannot be a platform's (e.g. plain http off loopback).
 */
export async function ensureDemoLms(deps: { knex: Knex; platforms: DbPlatformStore; publicUrl: string; secretKey: string; tenant?: string }): Promise<DemoLms> {
  const issuer = demoLmsIssuer(deps.publicUrl)
  const tenant = deps.tenant ?? 'default'
  const checked = checkPlatformForm({
    issuer, clientId: DEMO_LMS_CLIENT_ID, authorizationEndpoint: `${issuer}/auth`, tokenEndpoint: `${issuer}/token`, jwksUri: `${issuer}/jwks`,
    authorizationServer: '', deploymentIds: DEMO_LMS_DEPLOYMENT_ID,
  })
  if (!checked.ok) throw new ServerError('ERR_CONFIG_INVALID', `the demo LMS cannot be registered at ${issuer}: ${checked.problems.map((p) => p.message.en).join('; ')}`, 'TLN_PUBLIC_URL')
  const existing = await deps.platforms.record(issuer, DEMO_LMS_CLIENT_ID)
  if (existing === undefined) {
    await deps.platforms.add({ platform: checked.platform, deploymentIds: checked.deploymentIds, tenant, status: 'active', registeredBy: 'cli' })
  }
  const key = await ensureKey(deps.knex, issuer, demoLmsKeySecret(deps.secretKey))
  const people = demoLmsPeople()
  await linkPeople(deps.knex, tenant, issuer, people)
  return { issuer, clientId: DEMO_LMS_CLIENT_ID, deploymentId: DEMO_LMS_DEPLOYMENT_ID, key, people, registration: existing === undefined ? 'added' : 'exists' }
}

/** The 32-byte key that seals the demo LMS's private key, derived from the server secret for that use only. */
function demoLmsKeySecret(secretKey: string): Uint8Array {
  return purposeKey(secretKey, 'tln-demo-lms-key')
}

interface KeyRow { kid: string; public_jwk: ToolKey['publicJwk'] | string; private_jwk_sealed: string; created_at: Date | string }

/** The stored key of `issuer`, or a new one stored first; two processes starting at once keep the first one written. */
async function ensureKey(knex: Knex, issuer: string, secret: Uint8Array): Promise<ToolKey> {
  const read = async () => (await knex('demo_lms_key').where({ issuer }).first()) as KeyRow | undefined
  let row = await read()
  if (row === undefined) {
    const fresh = await generateToolKey()
    await knex('demo_lms_key').insert({
      issuer, kid: fresh.kid, public_jwk: JSON.stringify(fresh.publicJwk), private_jwk_sealed: sealPrivateKey(fresh.privateJwk, fresh.kid, secret),
    }).onConflict('issuer').ignore()
    row = (await read())!
  }
  const publicJwk = typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) as ToolKey['publicJwk'] : row.public_jwk
  return { kid: row.kid, publicJwk, privateJwk: openPrivateKey(row.private_jwk_sealed, row.kid, secret), createdAt: new Date(row.created_at).getTime() }
}

/** Links each demo person (found by demo id) to their account on the demo LMS; an account linked to someone else is moved, as re-linking does. */
async function linkPeople(knex: Knex, tenant: string, issuer: string, people: readonly DemoLmsPerson[]): Promise<void> {
  const org = new OrgStore(knex)
  await knex.transaction(async (trx) => {
    const tenantId = await org.tenantId(tenant, trx)
    for (const p of people) {
      await trx('person').where({ tenant_id: tenantId, lti_issuer: issuer, lti_sub: p.sub })
        .andWhere((q) => { void q.whereNull('external_id').orWhereNot('external_id', p.externalId) })
        .update({ lti_issuer: null, lti_sub: null, updated_at: trx.fn.now() })
      // The organisation store's own upsert (matched by demo id), as an import naming the LMS account would do it.
      await org.upsertPerson(tenantId, { name: p.name, externalId: p.externalId, lti: { issuer, sub: p.sub } }, trx)
    }
  })
}

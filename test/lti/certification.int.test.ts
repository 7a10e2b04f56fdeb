import { generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlatformSimulator, type NextLaunch, type PlatformSimulator } from './platform-simulator.ts'
import { expectRefusalPage, formLaunch } from './lti-pages-helpers.ts'
import { connectSimulator, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * The tool side of the 1EdTech LTI Advantage certification (LTI Advantage Conformance
 * Certification Guide 1.3, §4.1 "LTI Core testing"): each test is one of the suite's cases, by its
 * name, over real HTTP against the platform simulator. Known "bad" payloads (§4.1.1) get a clear
 * 4xx page naming the claim and the rule, and change nothing; valid teacher and student launches
 * (§4.1.2–4.1.3) land signed in, with TLN's role for them. Deep Linking (§4.2) and the AGS and NRPS
 * service tests (§4.3–4.4) are in `deep-linking.int.test.ts`, `grade-passback.int.test.ts`,
 * `roster-sync.int.test.ts` and the library's `services.test.ts`.
 */
let sim: PlatformSimulator
let tln: ToolServer

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer()
  await connectSimulator(sim, tln)
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/'
const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'
const INSTRUCTOR = `${MEMBERSHIP}#Instructor`
const LEARNER = `${MEMBERSHIP}#Learner`
const UNKNOWN_ROLE = 'http://example.org/vocab/roles#Wizard'

const launch = (next: NextLaunch = {}) => formLaunch(sim, tln.url, next)

async function counts() {
  const one = async (table: string) => Number(((await tln.db.knex(table).count({ n: '*' }).first()) as { n: number | string }).n)
  return { users: await one('lti_user'), sessions: await one('lti_session'), statements: await one('xapi_statement'), nonces: await one('lti_nonce') }
}

describe('LTI certification §4.1.1 known "bad" payloads: a clear 4xx page naming the claim and the rule, nothing changed', () => {
  const otherKey = generateKeyPair('RS256')
  // Every claim of a valid launch, so a payload can be replaced whole.
  const everyClaim = () => Object.keys(sim.double.launchClaims('n')).filter((name) => name !== 'nonce')
  const cases: Array<[name: string, next: () => Promise<NextLaunch>, status: number, code: string, claim: string, rule: string]> = [
    ['No KID Sent in JWT header (Security Framework 1.0 §6.3)', async () => ({ header: { kid: undefined } }), 401, 'ERR_LTI_MISSING_KID', 'kid', '§6.3'],
    ['Incorrect KID in JWT header (Security Framework 1.0 §6.3)', async () => ({ header: { kid: 'imstester_4' }, key: (await otherKey).privateKey }), 401, 'ERR_LTI_UNKNOWN_KID', 'kid', '§6.3'],
    ['Wrong LTI Version (LTI Core 1.3 §5.3.2)', async () => ({ claims: { [`${LTI}version`]: '11.3' } }), 400, 'ERR_LTI_UNSUPPORTED_VERSION', `${LTI}version`, 'must be 1.3.0 (LTI Core 1.3 §5.3.2)'],
    ['No LTI Version (LTI Core 1.3 §5.3.2)', async () => ({ omit: [`${LTI}version`] }), 400, 'ERR_LTI_MISSING_CLAIM', `${LTI}version`, 'is REQUIRED (LTI Core 1.3 §5.3.2)'],
    ['Invalid LTI message: the JSON is not a 1.3 launch (Security Framework 1.0 §5.1.3 step 2)', async () => ({ omit: [...everyClaim(), 'sub', 'name', 'email', `${LTI}target_link_uri`], claims: { name: 'badltilaunch' } }), 401, 'ERR_LTI_ISS_MISMATCH', 'iss', '§5.1.3 step 2'],
    ['Missing LTI Claims: aud, iss, sub, deployment_id, roles (Security Framework 1.0 §5.1.3; LTI Core 1.3 §5.3)', async () => ({ omit: ['aud', 'iss', 'sub', `${LTI}deployment_id`, `${LTI}roles`] }), 401, 'ERR_LTI_ISS_MISMATCH', 'iss', '§5.1.3 step 2'],
    ['Timestamps Incorrect: iat 11111, exp 22222 (Security Framework 1.0 §5.1.3 step 6)', async () => ({ claims: { iat: 11111, exp: 22222 } }), 401, 'ERR_LTI_TOKEN_EXPIRED', 'exp', '§5.1.3 step 6'],
    ['message_type Claim Missing (LTI Core 1.3 §5.3.1)', async () => ({ omit: [`${LTI}message_type`] }), 400, 'ERR_LTI_MISSING_CLAIM', `${LTI}message_type`, 'is REQUIRED (LTI Core 1.3 §5.3.1)'],
    ['role Claim Missing (LTI Core 1.3 §5.3.7)', async () => ({ omit: [`${LTI}roles`] }), 400, 'ERR_LTI_MISSING_CLAIM', `${LTI}roles`, '(LTI Core 1.3 §5.3.7)'],
    ['deployment_id Claim Missing (LTI Core 1.3 §5.3.3)', async () => ({ omit: [`${LTI}deployment_id`] }), 400, 'ERR_LTI_MISSING_CLAIM', `${LTI}deployment_id`, 'is REQUIRED (LTI Core 1.3 §5.3.3)'],
    ['resource_link_id Claim Missing (LTI Core 1.3 §5.3.5)', async () => ({ claims: { [`${LTI}resource_link`]: { title: 'Modul 1' } } }), 400, 'ERR_LTI_MISSING_CLAIM', `${LTI}resource_link#id`, '(LTI Core 1.3 §5.3.5)'],
  ]
  it.each(cases)('refuses "%s"', async (_name, next, status, code, claim, rule) => {
    const before = await counts()
    const { response, html } = await launch(await next())
    expectRefusalPage(response, html, { status, code, claim, rule })
    expect(await counts()).toEqual(before)
  })

  it('refuses "user Claim Missing" (no sub): an anonymous launch (LTI Core 1.3 §5.3.6.1), which TLN does not serve, with a 403 page naming the sub claim; no user, session or statement', async () => {
    const before = await counts()
    const { response, html } = await launch({ omit: ['sub'] })
    expect(response.status).toBe(403)
    expect(response.headers.get('x-tln-error')).toBe('ERR_TOOL_ANONYMOUS_LAUNCH')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(html).toContain('no &#34;sub&#34; claim')
    expect(html).toContain('§5.3.6.1')
    // The token itself was valid, so its nonce is spent (Security Framework 1.0 §5.1.3 step 8): it cannot be replayed.
    expect(await counts()).toEqual({ ...before, nonces: before.nonces + 1 })
  })
})

describe('LTI certification §4.1.2–4.1.3 valid teacher and student launches land signed in (LTI Core 1.3 §5.3–5.4)', () => {
  type Case = [name: string, next: NextLaunch, tlnRole: string, who: { name?: string; email?: string }]
  const both = { name: 'Siti Rahayu', email: 'siti@example.org' }
  const people = (prefix: string, roles: readonly string[], tlnRole: string): Case[] => [
    [`Valid ${prefix} Launch`, { claims: { [`${LTI}roles`]: roles } }, tlnRole, both],
    [`Valid ${prefix} Launch with Roles (several values, LTI Core 1.3 §5.3.7)`, { claims: { [`${LTI}roles`]: [...roles, 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Staff', `${MEMBERSHIP}#Mentor`] } }, tlnRole, both],
    [`Valid ${prefix} Launch Short Role (LTI Core 1.3 §A.2.3.1)`, { claims: { [`${LTI}roles`]: roles.map((r) => r.split('#')[1]!) } }, tlnRole, both],
    [`Valid ${prefix} Launch Unknown Role (LTI Core 1.3 §5.3.7: other vocabularies allowed)`, { claims: { [`${LTI}roles`]: [...roles, UNKNOWN_ROLE] } }, tlnRole, both],
    [`Valid ${prefix} Launch No Role (LTI Core 1.3 §5.3.7: "possibly empty")`, { claims: { [`${LTI}roles`]: [] } }, 'guest', both],
    [`Valid ${prefix} Launch Email Only (OIDC Core 1.0 §5.1)`, { omit: ['name', 'given_name', 'family_name'], claims: { [`${LTI}roles`]: roles } }, tlnRole, { email: 'siti@example.org' }],
    [`Valid ${prefix} Launch Names Only (OIDC Core 1.0 §5.1)`, { omit: ['email'], claims: { [`${LTI}roles`]: roles } }, tlnRole, { name: 'Siti Rahayu' }],
    [`Valid ${prefix} No PII (LTI Core 1.3 §5.3.6: sub is the only user claim)`, { omit: ['name', 'given_name', 'family_name', 'email'], claims: { [`${LTI}roles`]: roles } }, tlnRole, {}],
    [`Valid ${prefix} Email Without Context (LTI Core 1.3 §5.4.1: context optional)`, { omit: ['name', 'given_name', 'family_name', `${LTI}context`], claims: { [`${LTI}roles`]: roles } }, tlnRole, { email: 'siti@example.org' }],
    [`Valid ${prefix} New resource_link_id (LTI Core 1.3 §5.3.5)`, { claims: { [`${LTI}roles`]: roles, [`${LTI}resource_link`]: { id: `rl-new-${prefix}`, title: 'Modul 2' } } }, tlnRole, both],
  ]
  const cases = [...people('Instructor', [INSTRUCTOR], 'facilitator'), ...people('Student', [LEARNER], 'teacher')]
  it.each(cases.map((c, i) => [...c, `cert-user-${i}`] as const))('accepts "%s"', async (_name, next, tlnRole, who, sub) => {
    const { response, html } = await launch({ ...next, claims: { ...next.claims, sub } })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-tln-error')).toBeNull()
    expect(response.headers.getSetCookie().some((c) => /session/i.test(c.split('=')[0]!))).toBe(true)
    expect(html).toContain(`id="tln-signed-in" data-sub="${sub}"`)
    const user = await tln.db.knex('lti_user').where({ issuer: sim.issuer, sub }).first()
    expect(user).toMatchObject({ role: tlnRole, name: who.name ?? null, email: who.email ?? null })
  })

  it('accepts a launch whose only role is unknown, as a guest (LTI Core 1.3 §5.3.7; certification "Unknown Role")', async () => {
    const { response, html } = await launch({ claims: { sub: 'cert-unknown-only', [`${LTI}roles`]: [UNKNOWN_ROLE] } })
    expect(response.status).toBe(200)
    expect(html).toContain('data-sub="cert-unknown-only"')
    expect(await tln.db.knex('lti_user').where({ issuer: sim.issuer, sub: 'cert-unknown-only' }).first()).toMatchObject({ role: 'guest' })
  })
})

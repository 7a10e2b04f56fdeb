/**
 * A teacher's transcript as a 1EdTech Comprehensive Learner Record 2.0 ClrCredential (DOMAIN.md,
 * "Exchange formats": "a CLR 2.0 transcript per teacher"): their Open Badges for completed tiers
 * and an AchievementCredential per competence rated proficient, with the associations between
 * those achievements. Pure: every input is given.
 */
import { uuidV5 } from '../case/uuid-v5.ts'
import { flattenFramework } from '../framework/flatten-framework.ts'
import type { FlatNode, Framework } from '../framework/types.ts'
import type { EvidenceRule } from '../rules/types.ts'
import { alignmentsOf, tierCoverage } from './achievement.ts'
import { CLR_CREDENTIAL_SCHEMA, CLR_V2_CONTEXT, OB_CREDENTIAL_SCHEMA, OB_SCHEMA_VALIDATOR, OB_V3_CONTEXT, VC_V2_CONTEXT } from './badge-urls.ts'
import { issuerProfile, subjectId } from './credential.ts'
import type {
  Achievement, Association, ClrCredential, CompetenceCredential, IdentityObject, IssuerInfo, OpenBadgeCredential, Profile,
} from './types.ts'

/** A competence rating of the learner at or above proficient (`competence_rating.proficient`). */
export interface ProficientRating {
  /** Framework code: `PED`, `PED.C`, `PED.C.2`. */
  readonly code: string
  /** 0..1. */
  readonly rating: number
  /** The rating method and rule version that produced it, e.g. `decayingAverage(w=0.65)`. */
  readonly method: string
  readonly configVersion: number
  /** When the rating last changed. */
  readonly ratedAt: Date
}

export interface ClrInput {
  /** The CLR's own id (a fresh UUID: a CLR is a snapshot, made when asked). */
  readonly id: string
  readonly publicUrl: string
  readonly issuer: IssuerInfo
  readonly identity: IdentityObject
  /** The learner's unrevoked badges, oldest first. */
  readonly badges: readonly OpenBadgeCredential[]
  readonly ratings: readonly ProficientRating[]
  readonly framework: Framework
  readonly rules: readonly EvidenceRule[]
  /** Tier activity id of each badge's achievement id, to relate tiers to the competences they train. */
  readonly tierOfAchievement: ReadonlyMap<string, string>
  /** VC DM 2.0 dateTime to the second. */
  readonly validFrom: string
  /** Fresh ids of the competence credentials; random by default. */
  readonly newId?: () => string
}

/** The Achievement id of a framework competence: stable per tenant, framework and code, like a tier's. */
export function competenceAchievementId(tenantId: string, frameworkId: string, code: string): string {
  return `urn:uuid:${uuidV5(`clr-competence#${tenantId}#${frameworkId}#${code}`)}`
}

/** VC DM 2.0 dateTime to the second. */
function toSecond(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

const LEVEL_ID: Record<FlatNode['level'], string> = { competence: 'kompetensi', 'sub-competence': 'subkompetensi', indicator: 'indikator' }

/** OB 3.0 Achievement of one framework node (achievementType `Competency`), aligned to its CASE item. */
export function competenceAchievement(input: { tenantId: string; framework: Framework; node: FlatNode; publicUrl: string; creator: Profile }): Achievement {
  const { framework, node } = input
  const id = competenceAchievementId(input.tenantId, framework.id, node.code)
  return {
    id,
    type: ['Achievement'],
    name: node.title.id,
    description: `${node.title.id} (${LEVEL_ID[node.level]} ${node.code}, ${framework.title.id}). ${node.title.en}.`,
    criteria: {
      narrative: 'Dinilai mahir (proficient) oleh mesin kompetensi TLN dari bukti pernyataan xAPI (tugas kinerja, post-tes, '
        + 'pendampingan, observasi) menurut aturan penilaian yang berlaku; nilai 0–1 tercantum pada hasil.',
    },
    alignment: alignmentsOf(framework, [node], input.publicUrl),
    achievementType: 'Competency',
    inLanguage: 'id',
    creator: input.creator,
    humanCode: node.code,
    resultDescription: [{
      id: `urn:uuid:${uuidV5(`clr-rating#${id}`)}`,
      type: ['ResultDescription'],
      name: 'Nilai kompetensi / Competence rating',
      resultType: 'ScaledScore',
      valueMin: '0',
      valueMax: '1',
    }],
  }
}

/**
 * The ClrCredential (CLR 2.0 #clrcredential): `@context` the VC 2.0 context, then the CLR 2.0 one
 * (and OB 3.0's, whose terms the embedded credentials use); `type` VerifiableCredential and
 * ClrCredential; the tenant's issuer Profile; `credentialSubject` a ClrSubject (#clrsubject) with
 * the learner's hashed identity, `verifiableCredential` (the badges as issued, then a competence
 * credential per proficient rating), every `achievement` those credentials name, and the
 * `association`s (#association) between them: a framework parent `isParentOf` its rated children,
 * and a tier `isRelatedTo` each rated competence it trains.
 * @returns undefined when there is nothing to put in it (`verifiableCredential` is "[1..*]")
 */
export function buildClrCredential(input: ClrInput): ClrCredential | undefined {
  const newId = input.newId ?? (() => crypto.randomUUID())
  const issuer = issuerProfile(input.issuer, input.publicUrl)
  const subject = subjectId(input.identity)
  const nodes = new Map(flattenFramework(input.framework).map((n) => [n.code, n]))
  // A rating of a code the framework in force no longer has cannot be named or aligned: left out.
  const rated = input.ratings.filter((r) => nodes.has(r.code))
  if (input.badges.length === 0 && rated.length === 0) return undefined

  const competences = rated.map((rating) => {
    const achievement = competenceAchievement({ tenantId: input.issuer.tenantId, framework: input.framework, node: nodes.get(rating.code)!, publicUrl: input.publicUrl, creator: issuer })
    const credential: CompetenceCredential = {
      '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
      id: `urn:uuid:${newId()}`,
      type: ['VerifiableCredential', 'AchievementCredential'],
      issuer,
      validFrom: toSecond(rating.ratedAt),
      name: `Mahir: ${achievement.name}`,
      description: `Kompetensi ${rating.code} dinilai mahir, nilai ${rating.rating.toFixed(2)} (metode ${rating.method}, konfigurasi versi ${rating.configVersion}).`,
      credentialSubject: {
        id: subject,
        type: ['AchievementSubject'],
        identifier: [input.identity],
        achievement,
        result: [{ type: ['Result'], resultDescription: achievement.resultDescription![0]!.id, value: rating.rating.toFixed(2) }],
      },
      credentialSchema: [{ id: OB_CREDENTIAL_SCHEMA, type: OB_SCHEMA_VALIDATOR }],
    }
    return { code: rating.code, achievement, credential }
  })

  const byCode = new Map(competences.map((c) => [c.code, c.achievement.id]))
  const association: Association[] = []
  for (const c of competences) {
    const parent = nodes.get(c.code)!.parentCode
    const parentId = parent === undefined ? undefined : byCode.get(parent)
    if (parentId !== undefined) association.push({ type: 'Association', associationType: 'isParentOf', sourceId: parentId, targetId: c.achievement.id })
  }
  const tierAchievements = uniqueById(input.badges.map((b) => b.credentialSubject.achievement))
  for (const tier of tierAchievements) {
    const tierId = input.tierOfAchievement.get(tier.id)
    if (tierId === undefined) continue
    for (const node of tierCoverage(input.framework, input.rules, tierId)) {
      const target = byCode.get(node.code)
      if (target !== undefined) association.push({ type: 'Association', associationType: 'isRelatedTo', sourceId: tier.id, targetId: target })
    }
  }

  return {
    '@context': [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT],
    id: `urn:uuid:${input.id}`,
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer,
    validFrom: input.validFrom,
    name: 'Catatan Pembelajar Komprehensif TLN / TLN Comprehensive Learner Record',
    description: `Transkrip pendidik PAUD dalam program Teacher Learning Network (TLN) — ${input.issuer.name}: `
      + `${input.badges.length} lencana tingkat diklat dan ${competences.length} kompetensi dengan nilai mahir.`,
    partial: false,
    credentialSubject: {
      id: subject,
      type: ['ClrSubject'],
      identifier: [input.identity],
      verifiableCredential: [...input.badges, ...competences.map((c) => c.credential)],
      achievement: [...tierAchievements, ...competences.map((c) => c.achievement)],
      association,
    },
    credentialSchema: [{ id: CLR_CREDENTIAL_SCHEMA, type: OB_SCHEMA_VALIDATOR }],
  }
}

function uniqueById(achievements: readonly Achievement[]): Achievement[] {
  const seen = new Map<string, Achievement>()
  for (const a of achievements) if (!seen.has(a.id)) seen.set(a.id, a)
  return [...seen.values()]
}

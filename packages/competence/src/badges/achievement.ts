/**
 * The OB 3.0 Achievement of a completed tier, aligned to the framework's CASE items (DOMAIN.md,
 * "Exchange formats": "Open Badges 3.0 (OpenBadgeCredential, aligned to CASE items) per completed
 * tier").
 */
import { caseIds } from '../case/case-ids.ts'
import { uuidV5 } from '../case/uuid-v5.ts'
import { flattenFramework } from '../framework/flatten-framework.ts'
import type { FlatNode, Framework } from '../framework/types.ts'
import type { EvidenceRule } from '../rules/types.ts'
import { badgeUrls } from './badge-urls.ts'
import type { Achievement, Alignment, Profile } from './types.ts'

export interface TierInfo {
  /** The tier activity id (`learning_fact.object_id`). */
  readonly id: string
  /** The tier's name as the statements gave it (Indonesian first). */
  readonly name: string
}

/**
 * The framework nodes a tier covers: the indicators that evidence rules tie to the tier (a rule
 * whose `activity` or `within` is the tier), each with its competence; when no rule names the
 * tier, the framework's competences (a Diklat Berjenjang tier trains all four).
 */
export function tierCoverage(framework: Framework, rules: readonly EvidenceRule[], tierId: string): FlatNode[] {
  const nodes = flattenFramework(framework)
  const indicators = new Set(rules.filter((r) => r.match.activity === tierId || r.match.within === tierId).map((r) => r.indicator))
  if (indicators.size === 0) return nodes.filter((n) => n.level === 'competence')
  const competences = new Set([...indicators].map((code) => code.split('.')[0]!))
  return nodes.filter((n) => (n.level === 'competence' && competences.has(n.code)) || (n.level === 'indicator' && indicators.has(n.code)))
}

/**
 * OB 3.0 Alignment per covered node: `targetType` `CFItem`, `targetUrl` the CASE 1.0 item URI
 * under the server (`/ims/case/v1p0/CFItems/<identifier>`, the identifier `toCasePackage` gives).
 */
export function alignmentsOf(framework: Framework, nodes: readonly FlatNode[], publicUrl: string): Alignment[] {
  const urls = badgeUrls(publicUrl, '')
  return nodes.map((node) => ({
    type: ['Alignment'],
    targetName: node.title.id,
    targetUrl: urls.caseItem(caseIds.item(framework.id, node.code)),
    targetCode: node.code,
    targetDescription: node.title.en,
    targetFramework: framework.title.id,
    targetType: 'CFItem',
  }))
}

/** The Achievement's id: a `urn:uuid:` (OB 3.0 allows it) stable per tenant and tier, so every teacher's badge for a tier names the same Achievement. */
export function achievementId(tenantId: string, tierId: string): string {
  return `urn:uuid:${uuidV5(`badge-achievement#${tenantId}#${tierId}`)}`
}

/**
 * The Achievement of a completed tier: name and description in Bahasa Indonesia (the program's
 * language, `inLanguage: id`), the completion rule as the criteria narrative.
 */
export function buildAchievement(input: {
  readonly tenantId: string
  readonly tier: TierInfo
  readonly framework: Framework
  readonly rules: readonly EvidenceRule[]
  readonly publicUrl: string
  readonly creator: Profile
}): Achievement {
  const { tier, framework } = input
  const covered = tierCoverage(framework, input.rules, tier.id)
  const competences = covered.filter((n) => n.level === 'competence').map((n) => n.title.id)
  return {
    id: achievementId(input.tenantId, tier.id),
    type: ['Achievement'],
    name: `Lulus ${tier.name}`,
    description: `Telah menyelesaikan ${tier.name} dalam program Teacher Learning Network (TLN) bagi pendidik PAUD. `
      + `Kompetensi yang dilatih: ${competences.join(', ')} (${framework.title.id}).`,
    criteria: {
      // Phases, hours and completion rules are per-tier configuration (DOMAIN.md), so the narrative names none.
      narrative: `Menyelesaikan ${tier.name} sesuai ketentuan penyelesaian program (kehadiran, tugas, dan post-tes), `
        + 'tercatat sebagai pernyataan xAPI "completed" pada tingkat tersebut.',
    },
    alignment: alignmentsOf(framework, covered, input.publicUrl),
    achievementType: 'CertificateOfCompletion',
    inLanguage: 'id',
    creator: input.creator,
  }
}

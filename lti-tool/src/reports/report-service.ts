import type { DistrictReport, EvidenceItem, KecamatanReport, MentoringNetworkReport, ReportFilter, TeacherReport } from '@tln/competence'
import type { Knex } from '@tln/db'
import { LtiToolError } from '../errors.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { OrgNode } from '../org/org-types.ts'
import { coveringGrant, districtGrant } from './access/report-access.ts'
import { learnerPlacement, type Viewer } from './access/viewer.ts'
import { filterQuery, parseFilter, type ParsedFilter } from './filter/parse-filter.ts'
import { ReportInputError } from './filter/report-input-error.ts'
import type { FilterChoices } from './pages/filter-form.ts'

/** The report queries (`CompetenceReports` of `@tln/competence`), as the pages use them. */
export interface ReportQueries {
  district(filter: ReportFilter): Promise<DistrictReport>
  mentoringNetwork(filter: ReportFilter): Promise<MentoringNetworkReport>
  kecamatan(kecamatanId: string, filter: ReportFilter): Promise<KecamatanReport | undefined>
  teacher(learnerKey: string, filter: ReportFilter): Promise<TeacherReport | undefined>
  evidence(learnerKey: string, code: string, filter: ReportFilter): Promise<readonly EvidenceItem[]>
}

/** A request's filter: parsed, as a query string for links, and the choices its form offers. */
interface Asked {
  readonly filter: ParsedFilter
  readonly query: string
}

export interface Resolved<R> extends Asked {
  readonly report: R
  readonly choices: FilterChoices
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/u

/**
 * Access, filter and queries of the report pages and API, in that order: the viewer's right to
 * the report (403 without, 404 for what is not in the tenant), the filter (400 naming field and
 * rule, its kecamatan and school inside the viewer's scope), then the query with `scopePath` =
 * the path of the viewer's grant.
 */
export class ReportService {
  constructor(private readonly deps: { knex: Knex; org: OrgStore; queries: ReportQueries }) {}

  /** District dashboard: district admins, BPPAUD, admins (grants at district level or above). */
  async district(viewer: Viewer, query: Readonly<Record<string, unknown>>): Promise<Resolved<DistrictReport>> {
    return this.districtWide(viewer, query, (filter) => this.deps.queries.district(filter))
  }

  /** The district's mentoring network page: the same viewers, scope and filter as the dashboard. */
  async mentoringNetwork(viewer: Viewer, query: Readonly<Record<string, unknown>>): Promise<Resolved<MentoringNetworkReport>> {
    return this.districtWide(viewer, query, (filter) => this.deps.queries.mentoringNetwork(filter))
  }

  private async districtWide<R>(viewer: Viewer, query: Readonly<Record<string, unknown>>, run: (filter: ReportFilter) => Promise<R>): Promise<Resolved<R>> {
    const grant = districtGrant(viewer.grants)
    if (grant === undefined) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'the district report needs reports:read on a district (or wider)')
    const asked = parseFilter(query)
    const kecamatan = (await this.deps.org.nodes(viewer.tenantId, { kind: 'kecamatan' })).filter((k) => grant.nodePath === undefined || k.path.startsWith(grant.nodePath))
    await this.checkFilterNodes(viewer.tenantId, asked, grant.nodePath)
    const schools = asked.kecamatanId === undefined ? [] : await this.schoolsUnder(viewer.tenantId, asked.kecamatanId)
    const report = await run(this.filter(viewer, asked, grant.nodePath))
    return { report, filter: asked, query: filterQuery(asked), choices: { kecamatan, schools } }
  }

  /** A kecamatan (TLN group): whoever holds `reports:read` on it or above; facilitators on theirs only. */
  async kecamatan(viewer: Viewer, id: string, query: Readonly<Record<string, unknown>>): Promise<Resolved<KecamatanReport>> {
    const node = await this.deps.org.node(viewer.tenantId, id)
    if (node === undefined || node.kind !== 'kecamatan') throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such kecamatan in this tenant', { id })
    const grant = coveringGrant(viewer.grants, node.path)
    if (grant === undefined) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'no reports:read grant covers this kecamatan', { id })
    const asked = parseFilter(query)
    await this.checkFilterNodes(viewer.tenantId, asked, node.path)
    const report = await this.deps.queries.kecamatan(node.id, this.filter(viewer, asked, grant.nodePath))
    if (report === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'kecamatan outside the scope', { id })
    return { report, filter: asked, query: filterQuery(asked), choices: { schools: await this.schoolsUnder(viewer.tenantId, node.id) } }
  }

  /** A teacher's profile: the teacher themself, or whoever holds `reports:read` over their school. */
  async teacher(viewer: Viewer, learnerKey: string, query: Readonly<Record<string, unknown>>): Promise<Resolved<TeacherReport>> {
    const scopePath = await this.learnerScope(viewer, learnerKey)
    const asked = parseFilter(query)
    await this.checkFilterNodes(viewer.tenantId, asked, scopePath)
    const report = await this.deps.queries.teacher(learnerKey, this.filter(viewer, asked, scopePath))
    if (report === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'teacher not in this report\'s scope', { learnerKey })
    return { report, filter: asked, query: filterQuery(asked), choices: {} }
  }

  /** The evidence behind one of a teacher's numbers (same access as the teacher's profile). */
  async evidence(viewer: Viewer, learnerKey: string, code: string, query: Readonly<Record<string, unknown>>): Promise<Resolved<TeacherReport> & { readonly code: string; readonly items: readonly EvidenceItem[] }> {
    if (!CODE.test(code)) throw new ReportInputError('code', 'framework-code', 'code: must be a framework code such as PED.C.2')
    const resolved = await this.teacher(viewer, learnerKey, query)
    const scopePath = await this.learnerScope(viewer, learnerKey)
    const items = await this.deps.queries.evidence(learnerKey, code, this.filter(viewer, resolved.filter, scopePath))
    return { ...resolved, code, items }
  }

  /**
   * The scope under which a viewer may read a learner (undefined = the tenant): a teacher's own
   * keys without limit; otherwise the widest `reports:read` grant over the learner's school.
   * @throws 404 for a learner the tenant does not have, 403 for one outside the viewer's grants
   */
  async learnerScope(viewer: Viewer, learnerKey: string): Promise<string | undefined> {
    if (viewer.learnerKeys.includes(learnerKey)) return undefined
    const placement = await learnerPlacement(this.deps.knex, viewer.tenantId, learnerKey)
    if (placement === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such learner in this tenant', { learnerKey })
    const grant = coveringGrant(viewer.grants, placement.schoolPath)
    if (grant === undefined) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'no reports:read grant covers this teacher', { learnerKey })
    return grant.nodePath
  }

  private filter(viewer: Viewer, asked: ParsedFilter, scopePath: string | undefined): ReportFilter {
    return { ...asked, tenantId: viewer.tenantId, ...(scopePath !== undefined && { scopePath }) }
  }

  /** The kecamatan and school of a filter must be nodes of that kind the viewer may see. */
  private async checkFilterNodes(tenantId: string, asked: ParsedFilter, scopePath: string | undefined): Promise<void> {
    const check = async (field: 'kecamatan' | 'school', id: string | undefined) => {
      if (id === undefined) return
      const node: OrgNode | undefined = await this.deps.org.node(tenantId, id)
      const visible = node !== undefined && node.kind === field && (scopePath === undefined || node.path.startsWith(scopePath) || scopePath.startsWith(node.path))
      if (!visible) throw new ReportInputError(field, `known-${field}`, `${field}: no ${field} with this id that you may see`)
    }
    await check('kecamatan', asked.kecamatanId)
    await check('school', asked.schoolId)
  }

  private async schoolsUnder(tenantId: string, kecamatanId: string): Promise<OrgNode[]> {
    return (await this.deps.org.nodes(tenantId, { kind: 'school' })).filter((s) => s.parentId === kecamatanId)
  }
}

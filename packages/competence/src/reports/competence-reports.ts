/**
 * Competence reports (issue 6, "Reports"): SQL over the engine's projection tables
 * (`competence_rating`, `competence_evidence`, `learning_fact`, `learner_month`) joined with
 * `learner_placement`. Every query starts with the tenant (`tenant_id = ?`), is parameterised, and
 * counts only learners under `filter.scopePath`; voided facts and evidence never count.
 */
import type { Knex } from '@tln/db'
import type { VersionedCompetenceConfig } from '../config/types.ts'
import { districtSections } from './district-report.ts'
import { findKecamatan, kecamatanSections } from './kecamatan-report.ts'
import { mentoringNetwork } from './mentoring-network.ts'
import { reportHeader } from './report-header.ts'
import { checkReportFilter } from './report-scope.ts'
import { evidenceOf, findTeacher, teacherSections, type EvidenceItem } from './teacher-report.ts'
import type { DistrictReport, EngineStatus, KecamatanReport, ReportFilter, TeacherReport } from './types.ts'

/** Where the active configuration comes from (`CompetenceConfigStore`). */
export interface ActiveConfigSource {
  active(tenantId: string): Promise<VersionedCompetenceConfig>
}

export class CompetenceReports {
  constructor(
    private readonly knex: Knex,
    private readonly configs: ActiveConfigSource,
    private readonly engineStatus: (tenantId: string) => Promise<EngineStatus>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async header(filter: ReportFilter) {
    checkReportFilter(filter)
    const [config, engine] = await Promise.all([this.configs.active(filter.tenantId), this.engineStatus(filter.tenantId)])
    return { config, header: reportHeader(config.framework, engine, filter, this.now()) }
  }

  /**
   * District dashboard: kecamatan × competence heatmap, tier funnel, monthly trend, quota,
   * mentoring network and the program's success indicators (issue 6, "district").
   * @throws TypeError for a malformed filter (the page layer parses query strings)
   */
  async district(filter: ReportFilter): Promise<DistrictReport> {
    const { config, header } = await this.header(filter)
    const [sections, mentoring] = await Promise.all([districtSections(this.knex, filter, config), mentoringNetwork(this.knex, filter)])
    return { ...header, ...sections, mentoring }
  }

  /**
   * TLN group / kecamatan report (issue 6, "TLN group / kecamatan").
   * @returns undefined when the kecamatan is not in the tenant or not in the viewer's scope
   */
  async kecamatan(kecamatanId: string, filter: ReportFilter): Promise<KecamatanReport | undefined> {
    const { config, header } = await this.header(filter)
    const kecamatan = await findKecamatan(this.knex, kecamatanId, filter)
    if (kecamatan === undefined) return undefined
    const sections = await kecamatanSections(this.knex, { ...filter, kecamatanId: kecamatan.id }, config)
    return { ...header, kecamatan, ...sections }
  }

  /**
   * One teacher's report (issue 6, "teacher").
   * @returns undefined when the learner is not placed inside the viewer's scope (or filters)
   */
  async teacher(learnerKey: string, filter: ReportFilter): Promise<TeacherReport | undefined> {
    const { config, header } = await this.header(filter)
    const teacher = await findTeacher(this.knex, learnerKey, filter)
    if (teacher === undefined) return undefined
    return { ...header, teacher, ...(await teacherSections(this.knex, learnerKey, filter, config)) }
  }

  /**
   * The evidence behind one rating cell (issue 6: "every number traceable to its evidence"):
   * statement ids with score, weight, source, rule and time. Empty when the learner is not in scope.
   */
  async evidence(learnerKey: string, code: string, filter: ReportFilter): Promise<readonly EvidenceItem[]> {
    checkReportFilter(filter)
    if ((await findTeacher(this.knex, learnerKey, filter)) === undefined) return []
    return evidenceOf(this.knex, learnerKey, code, filter)
  }
}

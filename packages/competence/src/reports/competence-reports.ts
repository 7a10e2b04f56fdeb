/**
 * Competence reports (issue 6, "Reports"): SQL over the engine's projection tables
 * (`competence_rating`, `competence_evidence`, `learning_fact`, `learner_month`) joined with
 * `learner_placement`. Every query starts with the tenant (`tenant_id = ?`), is parameterised, and
 * counts only learners under `filter.scopePath`; voided facts and evidence never count.
 */
import type { Knex } from '@tln/db'
import type { VersionedCompetenceConfig } from '../config/types.ts'
import { DEFAULT_REPORT_TIME_ZONE } from '../engine/report-time-zone.ts'
import { districtNode, districtSections } from './district-report.ts'
import { findKecamatan, kecamatanSections } from './kecamatan-report.ts'
import { mentoringNetwork } from './mentoring-network.ts'
import { reportHeader } from './report-header.ts'
import { checkReportFilter, type ZonedFilter } from './report-scope.ts'
import { evidenceOf, findTeacher, teacherSections, type EvidenceItem } from './teacher-report.ts'
import type { DistrictReport, EngineStatus, KecamatanReport, MentoringNetworkReport, ReportFilter, TeacherReport } from './types.ts'

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

  /**
   * Config, header and the filter with its time zone: the zone the engine bucketed months in
   * (`EngineStatus.timeZone`), so period boundaries agree with the month rows.
   */
  private async header(filter: ReportFilter) {
    checkReportFilter(filter)
    const [config, engine] = await Promise.all([this.configs.active(filter.tenantId), this.engineStatus(filter.tenantId)])
    const timeZone = engine.timeZone ?? DEFAULT_REPORT_TIME_ZONE
    const zoned: ZonedFilter = { ...filter, timeZone }
    return { config, zoned, header: reportHeader(config.framework, { ...engine, timeZone }, filter, this.now()) }
  }

  /**
   * District dashboard: kecamatan × competence heatmap, tier funnel, monthly trend, quota,
   * mentoring reach and depth, and the program's success indicators (issue 6, "district").
   * @throws TypeError for a malformed filter (the page layer parses query strings)
   */
  async district(filter: ReportFilter): Promise<DistrictReport> {
    const { config, zoned, header } = await this.header(filter)
    return { ...header, ...(await districtSections(this.knex, zoned, config)) }
  }

  /**
   * The mentoring network (who mentored whom, chain depth) of the district dashboard's scope and
   * filter, for its own page (issue 6, "mentoring network graph").
   * @throws TypeError for a malformed filter
   */
  async mentoringNetwork(filter: ReportFilter): Promise<MentoringNetworkReport> {
    const { zoned, header } = await this.header(filter)
    const [district, network] = await Promise.all([districtNode(this.knex, zoned), mentoringNetwork(this.knex, zoned)])
    return { ...header, district, network }
  }

  /**
   * TLN group / kecamatan report (issue 6, "TLN group / kecamatan").
   * @returns undefined when the kecamatan is not in the tenant or not in the viewer's scope
   */
  async kecamatan(kecamatanId: string, filter: ReportFilter): Promise<KecamatanReport | undefined> {
    const { config, zoned, header } = await this.header(filter)
    const kecamatan = await findKecamatan(this.knex, kecamatanId, zoned)
    if (kecamatan === undefined) return undefined
    const sections = await kecamatanSections(this.knex, { ...zoned, kecamatanId: kecamatan.id }, config)
    return { ...header, kecamatan, ...sections }
  }

  /**
   * One teacher's report (issue 6, "teacher").
   * @returns undefined when the learner is not placed inside the viewer's scope (or filters)
   */
  async teacher(learnerKey: string, filter: ReportFilter): Promise<TeacherReport | undefined> {
    const { config, zoned, header } = await this.header(filter)
    const teacher = await findTeacher(this.knex, learnerKey, zoned)
    if (teacher === undefined) return undefined
    return { ...header, teacher, ...(await teacherSections(this.knex, learnerKey, zoned, config)) }
  }

  /**
   * The evidence behind one rating cell (issue 6: "every number traceable to its evidence"):
   * statement ids with score, weight, source, rule and time. Empty when the learner is not in scope.
   */
  async evidence(learnerKey: string, code: string, filter: ReportFilter): Promise<readonly EvidenceItem[]> {
    checkReportFilter(filter)
    const zoned: ZonedFilter = { ...filter, timeZone: (await this.engineStatus(filter.tenantId)).timeZone ?? DEFAULT_REPORT_TIME_ZONE }
    if ((await findTeacher(this.knex, learnerKey, zoned)) === undefined) return []
    return evidenceOf(this.knex, learnerKey, code, zoned)
  }
}

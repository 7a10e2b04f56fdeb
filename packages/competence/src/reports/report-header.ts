/**
 * What every report starts with (`ReportHeader`): when, how current the engine is, the filter as
 * shown to the viewer (without tenant and scope), and the framework's competences for headings.
 */
import type { Framework } from '../framework/types.ts'
import type { EngineStatus, FrameworkHeading, ReportFilter, ReportHeader } from './types.ts'

/** Competences with the indicators below them, in framework order. */
export function frameworkHeadings(framework: Framework): FrameworkHeading[] {
  return framework.competences.map((c) => ({
    code: c.code,
    title: c.title,
    indicators: c.subCompetences.flatMap((s) => s.indicators.map((i) => ({ code: i.code, title: i.title }))),
    subCompetences: c.subCompetences.map((s) => ({ code: s.code, title: s.title })),
  }))
}

/** The filter without `tenantId` and `scopePath` (the viewer's grant is not shown back). */
export function shownFilter(filter: ReportFilter): ReportHeader['filter'] {
  const { tenantId: _tenant, scopePath: _scope, ...shown } = filter
  return shown
}

export function reportHeader(framework: Framework, engine: EngineStatus & { readonly timeZone: string }, filter: ReportFilter, now: Date): ReportHeader {
  return { generatedAt: now.toISOString(), engine, filter: shownFilter(filter), competences: frameworkHeadings(framework) }
}

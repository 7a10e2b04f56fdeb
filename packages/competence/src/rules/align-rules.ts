/**
 * Turns rule templates into rules by an alignment table: which activity (a Moodle course, a cmi5
 * course, a TLN task or instrument) evidences which indicators. This is the one thing an
 * administrator must say about the e-training app; what counts from it is in the templates.
 */
import type { EvidenceRule, EvidenceRuleTemplate } from './types.ts'

export interface ActivityAlignment {
  /** Activity id: the object itself, or a `parent`/`grouping` context activity (see `EvidenceMatch.within`). */
  readonly activity: string
  /** Indicator codes the activity evidences. */
  readonly indicators: readonly string[]
}

/**
 * One rule per template × alignment × indicator, in template order, then alignment order. The rule
 * keeps the template's id and version, so evidence records which template produced it; the
 * alignment becomes `match.within` (a template that names its own `activity` or `within` keeps it).
 */
export function alignRules(templates: readonly EvidenceRuleTemplate[], alignments: readonly ActivityAlignment[]): EvidenceRule[] {
  return templates.flatMap((template) =>
    alignments.flatMap((alignment) =>
      alignment.indicators.map((indicator) => ({
        ...template,
        indicator,
        match: template.match.activity !== undefined || template.match.within !== undefined ? template.match : { ...template.match, within: alignment.activity },
      })),
    ),
  )
}

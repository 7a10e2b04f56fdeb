import { statementUrl } from '../links.ts'
import { cell, instant, share, t, type Table } from './table.ts'

/**
 * One statement behind a rating (the competence package's `EvidenceItem`), with what the
 * statement itself says: its verb and object, read from the LRS.
 */
export interface EvidenceRow {
  readonly statementId: string
  readonly indicator: string
  readonly score: number
  readonly weight: number
  readonly source: string
  readonly rule: string
  readonly at: string
  readonly verb?: string
  readonly objectId?: string
  readonly objectName?: string
}

/** A verb IRI as data, its last segment (`scored`) as people read it. */
const verbCell = (verb: string | undefined) => (verb === undefined ? cell(null) : { value: verb, display: verb.slice(verb.lastIndexOf('/') + 1) || verb })

/** The evidence page's table: each statement linked to its full text. */
export function evidenceTable(learnerKey: string, rows: readonly EvidenceRow[], timeZone: string): Table {
  return {
    name: 'evidence', title: t('Bukti', 'Evidence'),
    columns: [t('Pernyataan', 'Statement'), t('Indikator', 'Indicator'), t('Kata kerja', 'Verb'), t('Objek', 'Object'), t('Skor', 'Score'), t('Bobot', 'Weight'), t('Aturan', 'Rule'), t('Sumber', 'Source'), t('Waktu', 'Time')],
    rows: rows.map((r) => [
      cell(r.statementId, statementUrl(learnerKey, r.statementId)), cell(r.indicator), verbCell(r.verb),
      cell(r.objectName ?? r.objectId ?? null), share(r.score, statementUrl(learnerKey, r.statementId)), cell(r.weight), cell(r.rule), cell(r.source), instant(r.at, timeZone),
    ]),
  }
}

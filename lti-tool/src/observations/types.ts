import type { AccountAgent } from '../meetings/tln-group.ts'

export type Text = { readonly id: string; readonly en: string }
export type InstrumentKind = 'observation' | 'interview'

/** A rating scale `min`..`max` (integers), one label per point, lowest first. */
export interface RatingScale {
  readonly min: number
  readonly max: number
  readonly labels: readonly string[]
}

/** One indicator of an instrument: its own code, the competence indicator it evidences (e.g. `PED.C.2`), what to look for. */
export interface InstrumentIndicator {
  readonly code: string
  readonly competence: string
  readonly text: string
}

export interface Instrument {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly kind: InstrumentKind
  readonly scale: RatingScale
  readonly indicators: readonly InstrumentIndicator[]
  readonly createdAt: Date
}

/** One filled-in instrument. A correction is a new record that `supersedes` this one. */
export interface EvaluationRecord {
  readonly id: string
  readonly tenantId: string
  readonly instrumentId: string
  readonly teacherPersonId: string
  readonly teacherName: string
  readonly monitor: AccountAgent
  /** `YYYY-MM-DD` */
  readonly observedOn: string
  readonly ratings: Readonly<Record<string, number>>
  readonly notes: string
  readonly supersedesId?: string
  readonly superseded: boolean
  readonly createdAt: Date
}

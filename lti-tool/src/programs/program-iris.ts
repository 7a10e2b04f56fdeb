/**
 * Stable xAPI activity IRIs of a program's parts, under the TLN base (`xapi/tln-profile.ts`). An
 * IRI is derived once, when the row is made, and stored: renaming a code later never changes the
 * id that statements already carry. Phases and modules live under their tier, as in the demo
 * program (`apps/server/src/seed/demo-program.ts`), so a module keeps its IRI when it moves to
 * another phase of the tier.
 */
import { TLN_BASE } from '../xapi/tln-profile.ts'
import type { TierLevel } from './types.ts'

export const programActivityId = (code: string) => `${TLN_BASE}/activities/program/${code}`
export const tierActivityId = (programIri: string, level: TierLevel) => `${programIri}/tier/${level}`
export const phaseActivityId = (tierIri: string, code: string) => `${tierIri}/phase/${code}`
export const moduleActivityId = (tierIri: string, code: string) => `${tierIri}/module/${code}`

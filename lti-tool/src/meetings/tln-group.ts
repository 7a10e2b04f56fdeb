import { slugOf } from '../org/import-rows.ts'
import type { Person } from '../org/org-types.ts'
import { TLN_SITE } from '../xapi/tln-profile.ts'

/**
 * IRIs and Agents shared with the demo program (`apps/server/src/seed/demo-program.ts`) and the
 * mentoring statements, so that the reports count the tool's statements and the demo's alike.
 */
export { TLN_BASE, TLN_EXTENSIONS } from '../xapi/tln-profile.ts'

/** A TLN group: a kecamatan node, with its district's name for the IRIs. */
export interface GroupRef {
  readonly id: string
  readonly name: string
  readonly districtName?: string
}

/** An xAPI Agent with an account (the only IFI the tool uses). */
export interface AccountAgent {
  readonly objectType: 'Agent'
  readonly name?: string
  readonly account: { readonly homePage: string; readonly name: string }
}

function districtBase(g: Pick<GroupRef, 'name' | 'districtName'>): string {
  const district = slugOf((g.districtName ?? '').replace(/^(kabupaten|kab\.|kota)\s+/iu, ''))
  return `${TLN_SITE}/id/${district === '' ? 'tln' : district}`
}

/** `https://tln.example/id/<district>/kecamatan/<kecamatan>`, the demo's kecamatan extension value. */
export function kecamatanIri(g: Pick<GroupRef, 'name' | 'districtName'>): string {
  return `${districtBase(g)}/kecamatan/${slugOf(g.name)}`
}

/** `https://tln.example/id/<district>/tln-group/<kecamatan>`, the demo's TLN group extension value. */
export function tlnGroupIri(g: GroupRef): string {
  return `${districtBase(g)}/tln-group/${slugOf(g.name)}`
}

/** The TLN group as an identified Group (xAPI 1.0.3 Data 2.4.2.2), as the demo's `context.team`. */
export function tlnGroupAgent(g: GroupRef) {
  return { objectType: 'Group' as const, name: `TLN ${g.name}`, account: { homePage: TLN_SITE, name: `tln-group-${slugOf(g.name)}` } }
}

/**
 * A person as an xAPI Agent: their LMS identity when they launched TLN (`{ homePage: <issuer>,
 * name: <sub> }`, the tool's actor everywhere), else a TLN account `{ homePage: <publicUrl>,
 * name: <person id> }` (people who never launched: local accounts, teachers imported by CSV).
 */
export function personAgent(publicUrl: string, person: Pick<Person, 'id' | 'name' | 'lti'>): AccountAgent {
  return {
    objectType: 'Agent', name: person.name,
    account: person.lti !== undefined ? { homePage: person.lti.issuer, name: person.lti.sub } : { homePage: publicUrl, name: person.id },
  }
}

/** The signed-in user as an Agent: their person when known, else their LMS account. */
export function userAgent(publicUrl: string, user: { issuer: string; sub: string; name?: string }, person: Person | undefined): AccountAgent {
  if (person !== undefined) return personAgent(publicUrl, person)
  return { objectType: 'Agent', ...(user.name !== undefined && { name: user.name }), account: { homePage: user.issuer, name: user.sub } }
}

/** Noon in Lombok (WITA, UTC+8) on a day: a statement about a day, not the hour it was typed in. */
export const noonWita = (date: string) => new Date(`${date}T12:00:00+08:00`).toISOString()


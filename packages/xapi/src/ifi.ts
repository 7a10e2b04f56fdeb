/**
 * Inverse Functional Identifiers as comparable keys (xAPI 1.0.3 Data §2.4.2.3 "Inverse Functional
 * Identifier"; Communication §2.1.3 `agent` parameter: "Agents or Identified Groups are equal when the
 * same Inverse Functional Identifier is used in each Object compared and those Inverse Functional
 * Identifiers have equal values").
 */
import type { Actor, Agent, Group } from './types.ts'

/**
 * Normalises an `mbox` IRI for comparison. The `mailto:` scheme (RFC 3986 §3.1) and the domain of the
 * address (RFC 5321 §2.4) are case-insensitive, and xAPI 1.0.3 Data §2.3.1.b7 names exactly this:
 * "the domain portion an e-mail address is case insensitive". The local part is case-sensitive by
 * RFC 5321, and Data §2.2.s4.b5 says to "treat all values as case sensitive unless specified
 * otherwise", so it is kept as sent: `mailto:Ana@Example.org` equals `mailto:Ana@example.org` but not
 * `mailto:ana@example.org`.
 */
export function normalizeMbox(mbox: string): string {
  const colon = mbox.indexOf(':')
  const scheme = colon < 0 ? '' : mbox.slice(0, colon).toLowerCase()
  const address = colon < 0 ? mbox : mbox.slice(colon + 1)
  const at = address.lastIndexOf('@')
  const normalized = at < 0 ? address : address.slice(0, at) + address.slice(at).toLowerCase()
  return colon < 0 ? normalized : `${scheme}:${normalized}`
}

/**
 * A canonical string key for the IFI of an Agent or Identified Group, equal for equal IFIs:
 * `mbox:mailto:<local>@<lowercased domain>`, `mbox_sha1sum:<lowercased hex>`, `openid:<iri>`,
 * `account:["<homePage>","<name>"]` (JSON, so no choice of name or home page can forge another key).
 *
 * Which IFI an object carries is part of the key: an `mbox` and the `mbox_sha1sum` of the same address
 * are different IFIs (Communication §2.1.3: "the same Inverse Functional Identifier is used in each
 * Object compared"). `objectType` is not: an Agent and a Group with the same IFI get the same key
 * (Data §2.4.2.1.s2.b3 only says an Agent "SHOULD NOT" reuse a Group's IFI).
 *
 * Input is expected to be validated (exactly one IFI on an Agent, Data §2.4.2.1.s2.b2); should several
 * be present, the first of `mbox`, `mbox_sha1sum`, `openid`, `account` wins (the order of
 * Communication Appendix A).
 *
 * @returns the key, or `undefined` for an Anonymous Group (Data §2.4.2.2: no IFI).
 */
export function ifiKey(actor: Agent | Group): string | undefined {
  if (actor.mbox !== undefined) return `mbox:${normalizeMbox(actor.mbox)}`
  if (actor.mbox_sha1sum !== undefined) return `mbox_sha1sum:${actor.mbox_sha1sum.toLowerCase()}`
  if (actor.openid !== undefined) return `openid:${actor.openid}`
  if (actor.account !== undefined) return `account:${JSON.stringify([actor.account.homePage, actor.account.name])}`
  return undefined
}

/**
 * The keys under which an actor matches the `agent` filter of GET Statements (xAPI 1.0.3
 * Communication §2.1.3, `agent`: "Groups that have members which match the specified Agent based on
 * their Inverse Functional Identifier as described above are considered a match"): the actor's own
 * key (if identified) followed by the keys of a Group's members, without duplicates, in that order.
 * An Anonymous Group without members gives an empty list.
 */
export function ifiKeysOfActor(actor: Actor): string[] {
  const keys = new Set<string>()
  const own = ifiKey(actor)
  if (own !== undefined) keys.add(own)
  if (actor.objectType === 'Group') {
    for (const member of actor.member ?? []) {
      const key = ifiKey(member)
      if (key !== undefined) keys.add(key)
    }
  }
  return [...keys]
}

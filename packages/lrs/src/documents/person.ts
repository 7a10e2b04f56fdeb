import type { Account, Actor, Agent } from '@tln/xapi'

/**
 * The Person object of the Agents resource (xAPI 1.0.3 Communication 2.4.s5): each Agent property
 * as an array, "and it is legal to include multiple identifying properties". Properties without
 * values are left out; each occurs once (2.4.s6.b2).
 */
export interface Person {
  objectType: 'Person'
  name?: string[]
  mbox?: string[]
  mbox_sha1sum?: string[]
  openid?: string[]
  account?: Account[]
}

/**
 * Builds the Person for `agent` from the agent itself and the names the LRS has seen it use.
 * "If an LRS does not have any additional information about an Agent to return, the LRS MUST
 * still return a Person Object ... [that] will only include the information associated with the
 * requested Agent" (2.4.s3.b3). Members hold "the same definition as the similarly named property
 * from Agent Objects" (2.4.s6.b1): the IFI is returned as the agent sent it.
 */
export function personOf(agent: Agent, knownNames: readonly string[]): Person {
  const person: Person = { objectType: 'Person' }
  const names = [...new Set([...(agent.name !== undefined ? [agent.name] : []), ...knownNames])]
  if (names.length > 0) person.name = names
  if (agent.mbox !== undefined) person.mbox = [agent.mbox]
  if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum]
  if (agent.openid !== undefined) person.openid = [agent.openid]
  if (agent.account !== undefined) person.account = [{ homePage: agent.account.homePage, name: agent.account.name }]
  return person
}

/** The names under which `key` appears as an Agent (not a Group) in the given actors and objects. */
export function namesOf(key: string, actors: ReadonlyArray<Actor | undefined>, ifiKey: (actor: Actor) => string | undefined): string[] {
  const names: string[] = []
  for (const actor of actors) {
    if (actor === undefined || actor.objectType === 'Group' || typeof actor.name !== 'string') continue
    if (ifiKey(actor) === key && !names.includes(actor.name)) names.push(actor.name)
  }
  return names
}

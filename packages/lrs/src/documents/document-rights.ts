import type { Scope } from '../credentials/scopes.ts'
import type { DocumentKind } from './document-address.ts'

/** What a credential may do with one kind of document. */
export interface DocumentRights {
  read: boolean
  write: boolean
}

/**
 * Document rights from scopes (xAPI 1.0.3 Communication 4.2): `state` "read/write state data",
 * `profile` "read/write profile data" (Activity and Agent Profiles alike), `all/read`
 * "unrestricted read access", `all` "unrestricted access". The "limited to Activities and Actors
 * associated with the current token" part cannot be determined for HTTP Basic credentials, which
 * carry no such association, so it is not applied.
 */
export function documentRights(scopes: readonly Scope[], kind: DocumentKind): DocumentRights {
  const has = (scope: Scope) => scopes.includes(scope)
  const own = has(kind === 'state' ? 'state' : 'profile')
  return { read: has('all') || has('all/read') || own, write: has('all') || own }
}

/**
 * Who may read the Agents resource (Person objects) and the Activities resource (canonical
 * definitions): `all`, `all/read`, `statements/read` (which sees every statement, hence every
 * name and definition anyway), `define` ("(re)Define Activities and Actors") and `profile`
 * (profile data is "limited to Activities and Actors", so it reads about them). `state`,
 * `statements/write` and `statements/read/mine` alone do not.
 */
export function mayReadDefinitions(scopes: readonly Scope[]): boolean {
  return (['all', 'all/read', 'statements/read', 'define', 'profile'] as const).some((scope) => scopes.includes(scope))
}

/**
 * Whether statements stored with these scopes may update the canonical Activity definitions:
 * "define: (re)Define Activities and Actors. If storing a Statement when this is not granted, ids
 * will be saved ... but [the LRS] SHOULD NOT update its canonical representation of any Actors or
 * Activities" (xAPI 1.0.3 Communication 4.2). `all` includes it.
 */
export function mayDefine(scopes: readonly Scope[]): boolean {
  return scopes.includes('all') || scopes.includes('define')
}

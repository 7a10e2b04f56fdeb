/** The Verb (xAPI 1.0.3 Data 2.4.3): an IRI `id` and an optional `display` language map. */
import { childPath, type IssueList } from './issue-list.ts'
import { closeObject, readIri, readLanguageMap, readObject, type JsonObject } from './validate-values.ts'

/** Validates the required `parent.verb`. */
export function validateVerb(parent: JsonObject, path: string, list: IssueList): void {
  const verb = readObject(parent, 'verb', path, list, { required: true, section: '2.2.s2.b3' })
  if (verb === undefined) return
  const at = childPath(path, 'verb')
  closeObject(verb, ['id', 'display'], at, list)
  readIri(verb, 'id', at, list, { required: true, section: '2.4.3' })
  readLanguageMap(verb, 'display', at, list, { section: '2.4.3' })
}

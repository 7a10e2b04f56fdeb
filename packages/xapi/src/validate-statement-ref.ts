/** Statement References (xAPI 1.0.3 Data 2.4.4.3): `{ objectType: "StatementRef", id: UUID }`. */
import { childPath, type IssueList } from './issue-list.ts'
import { isUuid } from './uuid.ts'
import { asObject, closeObject, readFormatted, requireKey } from './validate-values.ts'

const SECTION = '2.4.4.3'

/** Validates a Statement Reference at `path`; objectType "StatementRef" is required (2.4.4.3.s4.b1). */
export function validateStatementRef(value: unknown, path: string, list: IssueList): void {
  const ref = asObject(value, path, list, SECTION)
  if (ref === undefined) return
  closeObject(ref, ['objectType', 'id'], path, list)
  if (requireKey(ref, 'objectType', path, list, SECTION) && ref.objectType !== null && ref.objectType !== 'StatementRef') {
    list.add(childPath(path, 'objectType'), 'object-type', 'must be "StatementRef"', SECTION)
  }
  readFormatted(ref, 'id', path, list, { required: true, section: SECTION, rule: 'uuid', what: 'a UUID', test: isUuid })
}

/** The Result Object and its Score (xAPI 1.0.3 Data 2.4.5, 2.4.5.1). */
import { isDuration } from './duration.ts'
import { childPath, type IssueList } from './issue-list.ts'
import {
  closeObject, readBoolean, readExtensions, readFormatted, readNumber, readObject, readString, type JsonObject,
} from './validate-values.ts'

/** Validates `parent.result` when present. */
export function validateResult(parent: JsonObject, path: string, list: IssueList): void {
  const result = readObject(parent, 'result', path, list, { section: '2.4.5' })
  if (result === undefined) return
  const at = childPath(path, 'result')
  closeObject(result, ['score', 'success', 'completion', 'response', 'duration', 'extensions'], at, list)
  validateScore(result, at, list)
  readBoolean(result, 'success', at, list, { section: '2.4.5' })
  readBoolean(result, 'completion', at, list, { section: '2.4.5' })
  readString(result, 'response', at, list, { section: '2.4.5' })
  readFormatted(result, 'duration', at, list, { section: '4.6', rule: 'duration', what: 'an ISO 8601 duration (e.g. PT1H0M0S)', test: isDuration })
  readExtensions(result, 'extensions', at, list)
}

function validateScore(result: JsonObject, path: string, list: IssueList): void {
  const section = '2.4.5.1'
  const score = readObject(result, 'score', path, list, { section })
  if (score === undefined) return
  const at = childPath(path, 'score')
  closeObject(score, ['scaled', 'raw', 'min', 'max'], at, list)
  const scaled = readNumber(score, 'scaled', at, list, { section })
  const raw = readNumber(score, 'raw', at, list, { section })
  const min = readNumber(score, 'min', at, list, { section })
  const max = readNumber(score, 'max', at, list, { section })
  // scaled: "Decimal number between -1 and 1, inclusive".
  if (scaled !== undefined && (scaled < -1 || scaled > 1)) {
    list.add(childPath(at, 'scaled'), 'score-scaled-range', 'must be between -1 and 1 inclusive', section)
  }
  // min: "Decimal number less than max (if present)".
  if (min !== undefined && max !== undefined && !(min < max)) {
    list.add(childPath(at, 'min'), 'score-min-max', 'must be less than score.max', section)
  }
  // raw: "Decimal number between min and max (if present, otherwise unrestricted), inclusive".
  if (raw !== undefined && ((min !== undefined && raw < min) || (max !== undefined && raw > max))) {
    list.add(childPath(at, 'raw'), 'score-raw-range', 'must be between score.min and score.max inclusive', section)
  }
}

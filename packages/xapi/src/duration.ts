/**
 * ISO 8601 duration check (xAPI 1.0.3 Data 4.6: "A Duration MUST be expressed using the format for
 * Duration in ISO 8601:2004(E) section 4.4.3.2. The alternative format ... MUST NOT be used").
 *
 * Accepts `PnYnMnDTnHnMnS` (any components, at least one, `T` only before time components) and
 * `PnW` alone ("weeks cannot be combined with other time periods. 'P4W1D' is not valid").
 * Only the last component may carry a decimal fraction (ISO 8601:2004 4.4.3.2), with `.` or `,`.
 */
const NUMBER = '\\d+(?:[.,]\\d+)?'
const DURATION = new RegExp(
  `^P(?:(${NUMBER}Y)?(${NUMBER}M)?(${NUMBER}D)?(?:T(${NUMBER}H)?(${NUMBER}M)?(${NUMBER}S)?)?|(${NUMBER}W))$`,
  'u',
)

/** True if `value` is an ISO 8601:2004 4.4.3.2 duration such as `PT1H0M0S`, `P1D`, `PT0.5S` or `P1W`. */
export function isDuration(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const match = DURATION.exec(value)
  if (!match) return false
  const parts = match.slice(1).filter((part): part is string => part !== undefined)
  if (parts.length === 0) return false // "P" or "PT" alone
  if (value.includes('T') && match[4] === undefined && match[5] === undefined && match[6] === undefined) return false
  // A fraction is allowed only on the lowest-order component present.
  return parts.slice(0, -1).every((part) => !/[.,]/u.test(part))
}

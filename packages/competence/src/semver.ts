/**
 * Semantic versions (Semantic Versioning 2.0.0, https://semver.org): frameworks and their nodes
 * are versioned (DOMAIN.md: "version the framework"), and so is every evidence rule, so a rating
 * can name the rule version that produced it.
 */

/** The regular expression semver.org §"Is there a suggested regular expression" gives. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/u

/** True if `value` is a semantic version such as `1.0.0` or `2.1.0-rc.1`. */
export function isSemver(value: unknown): value is string {
  return typeof value === 'string' && SEMVER.test(value)
}

/**
 * Orders two semantic versions by precedence (semver.org §11): major, minor, patch numerically; a
 * pre-release is lower than its release; pre-release identifiers compare numerically when both are
 * numbers, else in ASCII order, numbers before words; build metadata is ignored.
 * @returns negative, zero or positive, like `Array.prototype.sort` expects.
 * @throws TypeError when either argument is not a semantic version (a caller's mistake).
 */
export function compareSemver(a: string, b: string): number {
  const ma = SEMVER.exec(a)
  const mb = SEMVER.exec(b)
  if (ma === null || mb === null) throw new TypeError(`not a semantic version: ${ma === null ? a : b}`)
  for (let i = 1; i <= 3; i++) {
    const d = Number(ma[i]) - Number(mb[i])
    if (d !== 0) return d
  }
  const pa = ma[4]
  const pb = mb[4]
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1
  const ia = pa.split('.')
  const ib = pb.split('.')
  for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
    const x = ia[i]
    const y = ib[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const nx = /^\d+$/u.test(x)
    const ny = /^\d+$/u.test(y)
    if (nx && ny) {
      const d = Number(x) - Number(y)
      if (d !== 0) return d
    } else if (nx !== ny) return nx ? -1 : 1
    else if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

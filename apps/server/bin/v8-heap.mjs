// How much the V8 heap may grow between full collections, set by the launcher (bin/tln.mjs) before
// the server allocates. V8 lets the old generation fill with garbage to up to about four times
// what survived its last full collection; under sustained load that garbage, not live data, made
// most of the server's peak (≈ 90 MB of a 300 MB budget, docs/performance-notes.md, issue 7).
// With a fixed factor of 1 + percent / 100 the server collects more often. 200 (the heap may triple)
// kept V8's throughput in the ingest benchmark and the soak's mix and took ≈ 50 MB off the soak's
// RSS; 100 cost 19 % of the mix's maximum, 50 up to 39 % of single-statement ingest
// (docs/performance-notes.md, 2026-11-30).
// `--heap-growing-percent` is not one of the V8 flags NODE_OPTIONS accepts, and the V8 heap reads
// it at each full collection, so setting it here, at run time, takes effect.

/** The launcher's default: the old generation may grow to three times what is live before a full collection. */
export const DEFAULT_HEAP_GROWING_PERCENT = 200

/**
 * The V8 flag for `TLN_HEAP_GROWING_PERCENT` (default 200; 0 keeps V8's own adaptive factor), or
 * undefined for 0. Throws an Error naming the variable and the rule for any other value.
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined}
 */
export function heapGrowingFlag(env) {
  const raw = env.TLN_HEAP_GROWING_PERCENT
  const value = raw === undefined || raw.trim() === '' ? DEFAULT_HEAP_GROWING_PERCENT : /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw) : NaN
  if (!(value === 0 || (value >= 10 && value <= 400))) {
    throw new Error(`TLN_HEAP_GROWING_PERCENT must be 0 (V8's own heap growth) or a whole number of percent from 10 to 400, got ${JSON.stringify(raw)}`)
  }
  return value === 0 ? undefined : `--heap-growing-percent=${value}`
}

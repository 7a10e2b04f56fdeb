/**
 * A small HTTP load generator: N concurrent workers send requests until a count or a deadline,
 * recording each request's latency. Bounded in count and time, loopback only.
 */
export interface LoadResult {
  requests: number
  errors: number
  seconds: number
  latenciesMs: number[]
}

export async function runLoad(options: {
  concurrency: number
  maxRequests: number
  maxSeconds: number
  send: (index: number) => Promise<Response>
}): Promise<LoadResult> {
  const latencies: number[] = []
  let next = 0
  let errors = 0
  const started = performance.now()
  const deadline = started + options.maxSeconds * 1000
  const worker = async () => {
    while (next < options.maxRequests && performance.now() < deadline) {
      const index = next++
      const t0 = performance.now()
      try {
        const res = await options.send(index)
        await res.arrayBuffer()
        if (!res.ok) errors++
      } catch {
        errors++
      }
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return { requests: latencies.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs: latencies }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export function median(values: number[]): number {
  return percentile(values, 50)
}

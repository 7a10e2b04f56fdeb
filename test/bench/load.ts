/**
 * A small HTTP load generator: N concurrent workers send requests until a count or a deadline,
 * recording each request's latency. Bounded in count and time, loopback only.
 */
import { Agent, request } from 'node:http'

/** One keep-alive connection per worker: node's http is several times cheaper per request than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A minimal HTTP client for the load generator (loopback only). */
export function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

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
  send: (index: number) => Promise<HttpAnswer>
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
        if (res.status >= 300) errors++
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

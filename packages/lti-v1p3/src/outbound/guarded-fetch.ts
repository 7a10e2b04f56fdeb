import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'
import { checkOutboundAddress, isLocalhostName, type OutboundAddressPolicy } from './address-policy.ts'
import { parseIp } from './ip-address.ts'

/** Resolves a host name to its addresses; injectable so tests need no DNS. Defaults to the system resolver (`dns.lookup`, which reads /etc/hosts too). */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ readonly address: string; readonly family: number }>>

export interface GuardedFetchOptions extends OutboundAddressPolicy {
  readonly resolve?: ResolveHost
  /** Largest answer body read, in bytes; default 1 MiB (an openid-configuration is a few KiB). */
  readonly maxResponseBytes?: number
  /** Whole request, connect to last byte, unless the caller's `signal` ends it sooner; default 15 s. */
  readonly timeoutMs?: number
}

const MAX_RESPONSE_BYTES = 1024 * 1024
const TIMEOUT_MS = 15_000
const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/**
 * A `fetch` for URLs an unauthenticated party supplies (Dynamic Registration's openid-configuration
 * and registration endpoint, and later every URL of a dynamically registered platform, with
 * `refusalCode: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS'`). It resolves the host itself, refuses the request when any address is
 * special-purpose (RFC 6890, `checkOutboundAddress`) unless the policy allows it, and connects to
 * exactly the addresses it checked: the check runs inside the socket's `lookup`, so there is no
 * second DNS query a rebinding name could answer differently (OWASP SSRF Prevention Cheat Sheet).
 * Redirects are never followed, no connection is reused, and the body is read up to
 * `maxResponseBytes` within `timeoutMs`. Only `http:` and `https:`; a string body or none.
 */
export function createGuardedFetch(options: GuardedFetchOptions = {}): FetchLike {
  const resolve = options.resolve ?? systemResolve
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS
  return async (input, init = {}) => {
    const url = new URL(input)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`guarded fetch takes http(s) URLs only, got ${url.protocol}`)
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new TypeError('guarded fetch takes a string body only')
    // An IP literal never reaches `lookup`: check it here. RFC 6761 names are loopback by definition.
    const literal = url.hostname.replace(/^\[(.*)\]$/u, '$1')
    if (parseIp(literal) !== undefined) checkOutboundAddress(url, literal, options)
    else if (isLocalhostName(url.hostname)) checkOutboundAddress(url, '127.0.0.1', options)
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolve(hostname).then((found) => {
        if (found.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' })
        for (const { address } of found) checkOutboundAddress(url, address, options)
        const addresses = found.map(({ address, family }) => ({ address, family })) as LookupAddress[]
        if (lookupOptions.all === true) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses)
        else callback(null, addresses[0]!.address, addresses[0]!.family)
      }).catch((error: NodeJS.ErrnoException) => callback(error, '', 0))
    }
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
    return await request(url, init, { lookup, signal, maxBytes })
  }
}

function request(url: URL, init: RequestInit, options: { lookup: LookupFunction; signal: AbortSignal; maxBytes: number }): Promise<Response> {
  const transport = url.protocol === 'https:' ? https : http
  const headers = Object.fromEntries(new Headers(init.headers).entries())
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: init.method ?? 'GET', headers, lookup: options.lookup, signal: options.signal, agent: false }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > options.maxBytes) {
          // Settle first: destroying the request also makes the response emit its own 'aborted' error.
          reject(new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `answer from ${url.origin} is larger than ${options.maxBytes} bytes`, url.href, res.statusCode))
          req.destroy()
          return
        }
        chunks.push(chunk)
      })
      res.on('error', reject)
      res.on('end', () => {
        const status = res.statusCode ?? 0
        const responseHeaders = new Headers()
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v)
        }
        try {
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }))
        } catch (error) {
          reject(error)
        }
      })
    })
    req.on('error', reject)
    req.end(typeof init.body === 'string' ? init.body : undefined)
  })
}

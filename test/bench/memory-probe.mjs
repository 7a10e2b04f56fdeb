// A diagnostic preload for the server (test/bench/memory.ts): `NODE_OPTIONS=--import=<this file>`
// with TLN_MEMORY_PROBE_PORT set. Answers on 127.0.0.1 only:
//   GET /stats               process.memoryUsage(), v8 heap spaces, /proc/self/smaps_rollup, the
//                            WebAssembly memories (PGlite's) and the largest anonymous mappings
//   GET /snapshot?file=PATH  a full GC, then v8.writeHeapSnapshot(PATH)
//   GET /gc                  a full GC (the preload runs with --expose-gc when asked)
//   GET /light               cheap enough to ask every second: memoryUsage, V8's malloced memory,
//                            smaps_rollup and the WebAssembly memories' sizes (found once, then held weakly)
// Not shipped with the server: plain JavaScript so that plain node preloads it beside the bundle.
import { createServer, Server } from 'node:http'
import { readFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import v8 from 'node:v8'

const port = Number(process.env.TLN_MEMORY_PROBE_PORT)
// An experiment's switch: TLN_MEMORY_NO_COMPRESSION=1 drops Accept-Encoding, so no answer is compressed.
if (process.env.TLN_MEMORY_NO_COMPRESSION === '1') {
  const emit = Server.prototype.emit
  Server.prototype.emit = function (event, req, ...rest) {
    if (event === 'request') delete req.headers['accept-encoding']
    return emit.call(this, event, req, ...rest)
  }
}
// V8 flags that NODE_OPTIONS refuses but V8 reads at every GC (e.g. --heap-growing-percent), set at run time.
if (process.env.TLN_MEMORY_V8_FLAGS) for (const flag of process.env.TLN_MEMORY_V8_FLAGS.split(/\s+/).filter(Boolean)) v8.setFlagsFromString(flag)
const MB = 1024 * 1024

function smapsRollup() {
  const out = {}
  for (const line of readFileSync('/proc/self/smaps_rollup', 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+) kB/.exec(line)
    if (m) out[m[1]] = Number(m[2]) / 1024
  }
  return out
}

/** The largest mappings by resident size, anonymous or not, with their path: where the RSS lies. */
function largestMappings(n = 8) {
  const maps = []
  let current
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) {
      current = { sizeMb: (parseInt(head[2], 16) - parseInt(head[1], 16)) / MB, path: head[3] || '[anon]', rssMb: 0 }
      maps.push(current)
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)
    if (rss && current) current.rssMb = Number(rss[1]) / 1024
  }
  return maps.sort((a, b) => b.rssMb - a.rssMb).slice(0, n).map((m) => ({ ...m, sizeMb: Math.round(m.sizeMb), rssMb: Math.round(m.rssMb * 10) / 10 }))
}

/** Byte lengths of every live WebAssembly.Memory (PGlite's heap), found through the inspector. */
async function wasmMemories() {
  const session = new Session()
  session.connect()
  try {
    const proto = await session.post('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' })
    const { objects } = await session.post('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId })
    const { result } = await session.post('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      functionDeclaration: 'function () { return this.map((m) => m.buffer.byteLength) }',
      returnByValue: true,
    })
    return result.value.map((b) => b / MB)
  } finally {
    session.disconnect()
  }
}

/** The WebAssembly memories found by the first /light, held weakly: no heap walk per sample. */
let wasmRefs
async function wasmMemoriesCached() {
  if (wasmRefs === undefined || wasmRefs.length === 0) {
    const session = new Session()
    session.connect()
    try {
      const proto = await session.post('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' })
      const { objects } = await session.post('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId })
      globalThis.__tlnProbeFound = undefined
      await session.post('Runtime.callFunctionOn', { objectId: objects.objectId, functionDeclaration: 'function () { globalThis.__tlnProbeFound = this.slice() }' })
      wasmRefs = (globalThis.__tlnProbeFound ?? []).map((m) => new WeakRef(m))
      delete globalThis.__tlnProbeFound
    } finally {
      session.disconnect()
    }
  }
  return wasmRefs.map((r) => r.deref()).filter(Boolean).map((m) => m.buffer.byteLength / MB)
}

async function light() {
  const mu = process.memoryUsage()
  const hs = v8.getHeapStatistics()
  const sm = smapsRollup()
  const wasm = await wasmMemoriesCached()
  const maps = largestMappings(1000)
  return {
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    rssMb: mu.rss / MB,
    heapTotalMb: mu.heapTotal / MB,
    heapUsedMb: mu.heapUsed / MB,
    externalMb: mu.external / MB,
    arrayBuffersMb: mu.arrayBuffers / MB,
    mallocedMb: hs.malloced_memory / MB,
    peakMallocedMb: hs.peak_malloced_memory / MB,
    codeMb: v8.getHeapCodeStatistics ? v8.getHeapCodeStatistics().code_and_metadata_size / MB : NaN,
    anonMb: sm.Anonymous,
    fileMb: sm.Rss - sm.Anonymous,
    wasmMemoriesMb: wasm,
    // V8 reserves a WebAssembly memory with inaccessible guard regions around it; the accessible part
    // is a mapping of its own, exactly the memory's size: its Rss is what PostgreSQL has touched.
    wasmResidentMb: maps.filter((m) => wasm.includes(m.sizeMb)).reduce((sum, m) => sum + m.rssMb, 0),
    largestMappings: maps.slice(0, 6),
  }
}

function stats() {
  const mu = process.memoryUsage()
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { sizeMb: s.space_size / MB, usedMb: s.space_used_size / MB }]))
  return wasmMemories().then((wasm) => ({
    at: new Date().toISOString(),
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    memoryUsage: Object.fromEntries(Object.entries(mu).map(([k, v]) => [k, v / MB])),
    heapSpaces: spaces,
    heap: { totalAvailableMb: v8.getHeapStatistics().total_available_size / MB, mallocedMb: v8.getHeapStatistics().malloced_memory / MB, peakMallocedMb: v8.getHeapStatistics().peak_malloced_memory / MB, nativeContexts: v8.getHeapStatistics().number_of_native_contexts },
    wasmMemoriesMb: wasm,
    smapsRollup: smapsRollup(),
    largestMappings: largestMappings(),
    handles: process.getActiveResourcesInfo().reduce((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {}),
  }))
}

// NODE_OPTIONS reaches the launcher's children too (the bundler, PGlite's initdb): only `tln serve` listens.
if (Number.isInteger(port) && port > 0 && process.argv.includes('serve')) {
  const probe = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://probe')
      if (url.pathname === '/stats') return res.end(JSON.stringify(await stats()))
      if (url.pathname === '/light') return res.end(JSON.stringify(await light()))
      if (url.pathname === '/gc') { globalThis.gc?.(); return res.end('{}') }
      if (url.pathname === '/snapshot') {
        globalThis.gc?.()
        const file = v8.writeHeapSnapshot(url.searchParams.get('file') ?? undefined)
        return res.end(JSON.stringify({ file }))
      }
      res.statusCode = 404
      res.end('{}')
    } catch (error) {
      res.statusCode = 500
      res.end(JSON.stringify({ error: String(error?.stack ?? error) }))
    }
  })
  probe.on('error', (error) => process.stderr.write(`memory probe: ${error.message}\n`))
  probe.listen(port, '127.0.0.1')
  // The probe must not keep a draining server alive.
  probe.unref()
}

#!/usr/bin/env node
// The `tln` bin of @tln/server (`pnpm tln …`, `pnpm exec tln …`, `node apps/server/bin/tln.mjs …`).
// TLN has no separate build step: a short-lived child process bundles src/cli.ts with esbuild
// (≈ 0.3 s, see bundle.mjs), then this process runs the bundle, holding ≈ 70 MB less than the
// sources under tsx. TLN_FROM_SOURCE=1 runs the sources under tsx instead (what the tests do).
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'
import { heapGrowingFlag } from './v8-heap.mjs'

// Before anything allocates: how far the heap may grow between full collections (v8-heap.mjs).
try {
  const flag = heapGrowingFlag(process.env)
  if (flag !== undefined) v8.setFlagsFromString(flag)
} catch (error) {
  console.error(`tln: ${error.message}`)
  process.exit(1)
}

if (process.env.TLN_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli.ts')
} else {
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('./bundle.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
  if (built.status !== 0) process.exit(built.status ?? 1)
  await import(pathToFileURL(built.stdout.trim()).href)
}

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleCli } from '../bin/bundle.mjs'

const ROOT = resolve(import.meta.dirname, '../../..')

/**
 * `bin/tln.mjs` runs the server as one esbuild bundle under plain node (docs/performance-notes.md,
 * 2026-11-29: ≈ 90 MB at rest instead of ≈ 205 MB under tsx). These tests hold the properties the
 * memory figures rely on.
 */
describe('the server bundle', () => {
  const bundled = bundleCli()

  /** The npm packages the bundle imports, by how: `import-statement` (at start) or `dynamic-import`. */
  async function importsOf(kind: 'import-statement' | 'dynamic-import'): Promise<string[]> {
    const { metafile } = await bundled
    const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('.mjs'))![1]
    return output.imports.filter((i) => i.kind === kind && i.external).map((i) => i.path)
  }

  it('does not load PGlite at start: a server on PostgreSQL never imports it', async () => {
    const atStart = await importsOf('import-statement')
    expect(atStart.filter((p) => /pglite/.test(p))).toEqual([])
    expect((await importsOf('dynamic-import')).filter((p) => /@electric-sql\/pglite\/|knex-pglite\//.test(p))).toHaveLength(2)
  })

  it('does not load pdfkit at start: only the first PDF export does', async () => {
    expect((await importsOf('import-statement')).filter((p) => /pdfkit/.test(p))).toEqual([])
    expect((await importsOf('dynamic-import')).filter((p) => /\/pdfkit\//.test(p))).toHaveLength(1)
  })

  it('keeps npm packages outside the bundle and bundles every workspace package', async () => {
    const { metafile } = await bundled
    const inputs = Object.keys(metafile.inputs)
    expect(inputs.some((p) => p.includes('node_modules'))).toBe(false)
    for (const dir of ['apps/server/src/', 'packages/db/src/', 'packages/lrs/src/', 'packages/xapi/src/', 'packages/competence/src/', 'packages/lti-v1p3/src/', 'lti-tool/src/']) {
      expect(inputs.some((p) => p.includes(dir)), dir).toBe(true)
    }
  })

  it('keeps import.meta naming the source file, not the bundle', async () => {
    const { code } = await bundled
    expect(code).not.toMatch(/import\.meta\.(dirname|filename|url)\b/)
    expect(code).toContain(JSON.stringify(resolve(ROOT, 'apps/server/src/http')))
  })

  it('maps the bundle back to the TypeScript sources, so stack traces under --enable-source-maps name src/*.ts lines', async () => {
    const { code, map } = await bundled
    const payload = JSON.parse(map) as SourceMapPayload
    const lines = code.split('\n')
    const line = lines.findIndex((l) => l.startsWith('function loadConfig('))
    expect(line).toBeGreaterThan(0)
    const entry = new SourceMap(payload).findEntry(line, 'function '.length) as { originalSource: string; originalLine: number }
    // How node resolves a source: sourceRoot + source, against the map's own URL when relative.
    const source = new URL(`${payload.sourceRoot}${entry.originalSource}`)
    const config = resolve(ROOT, 'apps/server/src/config.ts')
    expect(source.href).toBe(pathToFileURL(config).href)
    expect(readFileSync(config, 'utf8').split('\n')[entry.originalLine]).toContain('export function loadConfig(')
    expect(code.trimEnd().endsWith('//# sourceMappingURL=tln.mjs.map')).toBe(true)
  })

  it('runs under plain node through bin/tln.mjs', () => {
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env.TLN_FROM_SOURCE
    const result = spawnSync(process.execPath, ['apps/server/bin/tln.mjs', '--help'], { cwd: ROOT, env, encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^Usage: tln /)
  }, 60_000)
})

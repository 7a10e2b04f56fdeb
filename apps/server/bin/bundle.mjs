// Builds the `tln` program (src/cli.ts and the workspace packages it imports) into one ES module
// that plain `node` runs. Why: running the TypeScript sources under tsx costs ≈ 70–100 MB of resident
// memory per process (a loader thread, a second copy of every module's source, its source map),
// about half of what the server holds at rest (docs/performance-notes.md, 2026-11-29). esbuild
// bundles the ≈ 450 source files in ≈ 0.2 s, so `bin/tln.mjs` rebuilds on every start and the
// bundle can never be older than the sources.
//
// Packages from node_modules stay outside the bundle, imported by absolute file URL (each
// workspace package resolves its own dependencies, as under tsx), and a dynamic `import()` stays
// dynamic: PGlite and pdfkit are loaded only when the configuration or a request needs them.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, stop } from 'esbuild'

const SERVER = resolve(import.meta.dirname, '..')
const ENTRY = join(SERVER, 'src/cli.ts')

/**
 * Bundles `src/cli.ts` in memory.
 * @returns the bundle's text and esbuild's metafile (which inputs went in, which imports stayed out)
 */
export async function bundleCli() {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Not minified: each module keeps a `// apps/server/src/….ts` comment, so a line in a stack
    // trace leads back to its source file.
    outfile: join(SERVER, 'dist/tln.mjs'),
    // `tln.mjs.map` beside the bundle, read only under `NODE_OPTIONS=--enable-source-maps`: stack
    // traces then name src/*.ts lines. Not enabled by default: node then also parses the source
    // maps of npm packages, ≈ 10–20 MB more per server (docs/performance-notes.md). The sources are
    // named from an absolute root, so the map holds wherever the bundle is written; their text is
    // not copied in (the files are on disk).
    sourcemap: 'linked',
    sourcesContent: false,
    sourceRoot: `${pathToFileURL(join(SERVER, 'dist')).href}/`,
    plugins: [externalPackages, sourceLocation],
  })
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))
  const map = result.outputFiles.find((f) => f.path.endsWith('.mjs.map'))
  if (js === undefined || map === undefined) throw new Error('esbuild produced no bundle')
  return { code: js.text, map: map.text, metafile: result.metafile }
}

/**
 * Bundles and writes `dist/tln.mjs` (or, when `dist/` is not writable, a file under the system's
 * temporary directory). The file is written under a unique name and renamed into place, so
 * processes starting at the same moment never read a half-written bundle.
 * @returns the absolute path of the bundle
 */
export async function writeCliBundle() {
  const { code, map } = await bundleCli()
  for (const dir of [join(SERVER, 'dist'), join(tmpdir(), `tln-${process.getuid?.() ?? 'user'}`)]) {
    const file = join(dir, 'tln.mjs')
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
    try {
      mkdirSync(dir, { recursive: true })
      // The map first: a bundle is never in place before the map that describes it.
      writeFileSync(temporary, map)
      renameSync(temporary, `${file}.map`)
      writeFileSync(temporary, code)
      renameSync(temporary, file)
      return file
    } catch (error) {
      rmSync(temporary, { force: true })
      if (!['EACCES', 'EPERM', 'EROFS'].includes(error.code)) throw error
    }
  }
  throw new Error(`cannot write the server bundle: neither ${join(SERVER, 'dist')} nor the temporary directory is writable`)
}

/** Bare specifiers (npm packages) stay out of the bundle, except the workspace's own `@tln/*`. */
const externalPackages = {
  name: 'tln-external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@tln/') || args.path.startsWith('node:') || args.pluginData === 'tln-inner') return undefined
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'tln-inner' })
      if (found.errors.length > 0) return { errors: found.errors }
      // Node builtins without the `node:` prefix come back unresolved: leave them as written.
      if (found.external || !found.path.startsWith('/')) return { path: args.path, external: true }
      return { path: args.kind === 'require-call' ? found.path : pathToFileURL(found.path).href, external: true }
    })
  },
}

/**
 * `import.meta.dirname`, `.filename` and `.url` keep naming the source file, not the bundle
 * (e.g. `http/xapi-profile.ts` reads `docs/xapi-profile/` relative to itself).
 */
const sourceLocation = {
  name: 'tln-source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta')) return undefined
      const values = { dirname: dirname(args.path), filename: args.path, url: pathToFileURL(args.path).href }
      return { contents: source.replace(/\bimport\.meta\.(dirname|filename|url)\b/g, (_, key) => JSON.stringify(values[key])), loader: 'ts' }
    })
  },
}

// Run as a program (what bin/tln.mjs does, in a child process so that esbuild's memory is given
// back before the server starts): write the bundle and print its path.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  try {
    process.stdout.write(`${await writeCliBundle()}\n`)
  } catch (error) {
    const messages = error.errors?.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''}: ${e.text}`) ?? []
    process.stderr.write(`tln: could not bundle the server: ${messages.length > 0 ? messages.join('\n') : error.message}\n`)
    process.exitCode = 1
  } finally {
    // esbuild's service process would otherwise keep this one alive for a few seconds.
    await stop()
  }
}

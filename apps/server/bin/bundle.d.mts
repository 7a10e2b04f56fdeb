import type { Metafile } from 'esbuild'

/** Bundles `src/cli.ts` in memory: the bundle's text, its source map (JSON text) and esbuild's metafile. */
export function bundleCli(): Promise<{ code: string; map: string; metafile: Metafile }>
/** Bundles and writes `dist/tln.mjs` and `dist/tln.mjs.map` (atomically); returns the bundle's absolute path. */
export function writeCliBundle(): Promise<string>

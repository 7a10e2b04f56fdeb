import type { Metafile } from 'esbuild'

/** Bundles `src/cli.ts` in memory: the bundle's text and esbuild's metafile. */
export function bundleCli(): Promise<{ code: string; metafile: Metafile }>
/** Bundles and writes `dist/tln.mjs` (atomically); returns its absolute path. */
export function writeCliBundle(): Promise<string>

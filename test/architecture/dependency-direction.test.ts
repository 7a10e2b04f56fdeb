import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Dependency direction (ARCHITECTURE.md, "Layout"; STYLE.md rule 12): a workspace package may
 * import only the packages listed for it, only through their public entry points, and never
 * another package's files by relative path. Test files may also use the test helpers
 * (`@tln/db/testing`).
 */
const ROOT = resolve(import.meta.dirname, '../..')

const ALLOWED: Record<string, string[]> = {
  'packages/xapi': [],
  'packages/db': [],
  'packages/lrs': ['@tln/xapi', '@tln/db'],
  'packages/lti-v1p3': [],
  'packages/competence': ['@tln/xapi', '@tln/db', '@tln/lrs'],
  'lti-tool': ['@tln/lti-v1p3', '@tln/lrs', '@tln/xapi', '@tln/db', '@tln/competence'],
  'apps/server': ['@tln/xapi', '@tln/db', '@tln/lrs', '@tln/lti-v1p3', '@tln/competence', '@tln/lti-tool'],
  'apps/dashboard': ['@tln/competence'],
}

/** Public entry points other packages may import besides the package root. */
const PUBLIC_SUBPATHS = new Set(['@tln/db/testing', '@tln/lti-v1p3/testing'])

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path)
  }
  return out
}

function importsOf(source: string): string[] {
  const specifiers: string[] = []
  const pattern = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm
  for (const match of source.matchAll(pattern)) specifiers.push((match[1] ?? match[2] ?? match[3])!)
  return specifiers
}

function packageOf(file: string): string | undefined {
  const rel = relative(ROOT, file).split(sep).join('/')
  return Object.keys(ALLOWED).find((pkg) => rel === pkg || rel.startsWith(`${pkg}/`))
}

const existing = Object.keys(ALLOWED).filter((pkg) => {
  try {
    return statSync(join(ROOT, pkg)).isDirectory()
  } catch {
    return false
  }
})

describe('dependency direction (ARCHITECTURE.md)', () => {
  for (const pkg of existing) {
    it(`${pkg} imports only what it may depend on, through public entry points`, () => {
      const violations: string[] = []
      for (const file of sourceFiles(join(ROOT, pkg))) {
        const isTest = /\.test\.ts$|\/test\//.test(file)
        for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
          const where = relative(ROOT, file)
          if (specifier.startsWith('@tln/')) {
            const [scope, name, ...rest] = specifier.split('/')
            const target = `${scope}/${name}`
            if (!ALLOWED[pkg]!.includes(target)) violations.push(`${where} imports ${specifier}: ${pkg} may not depend on ${target}`)
            else if (rest.length > 0 && !(isTest && PUBLIC_SUBPATHS.has(specifier))) violations.push(`${where} reaches into ${specifier}; import the package root`)
          } else if (specifier.startsWith('.')) {
            const targetPkg = packageOf(resolve(file, '..', specifier))
            if (targetPkg !== pkg) violations.push(`${where} imports ${specifier} across a package boundary by relative path`)
          }
        }
      }
      expect(violations).toEqual([])
    })
  }

  it('declares in package.json exactly the workspace packages it may use', () => {
    const problems: string[] = []
    for (const pkg of existing) {
      const manifest = JSON.parse(readFileSync(join(ROOT, pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
      const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((d) => d.startsWith('@tln/'))
      for (const dep of declared) if (!ALLOWED[pkg]!.includes(dep)) problems.push(`${pkg} declares ${dep}`)
    }
    expect(problems).toEqual([])
  })
})

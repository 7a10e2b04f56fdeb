import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '..')

/** Every page template of the tool: the non-test TypeScript files under `lti-tool/src`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name)
    if (d.isDirectory()) return sources(path)
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : []
  })
}

/**
 * Pages are `lang="id"` with the English half of each text marked `lang="en"` (html.ts), so a
 * screen reader says it in English (WCAG 2.1 SC 3.1.2, Language of Parts). A button's label is
 * the text users are told to press in the guides, "Simpan sesi / Save session".
 */
describe('bilingual button labels', () => {
  it('mark the English half of every "Indonesian / English" button lang="en" (WCAG 2.1 SC 3.1.2)', () => {
    const unmarked = sources(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/<button[^>]*>([^<]* \/ [A-Z][^<]*)<\/button>/g)]
      .map((m) => `${relative(SRC, file)}: ${m[1]}`))
    expect(unmarked).toEqual([])
  })
})

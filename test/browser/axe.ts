import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type axe from 'axe-core'
import type { BrowserContext, Page } from 'playwright-core'

/** axe-core's minified build (half the size of `axe.source`, so half the parsing on each page). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The WCAG 2.1 A and AA rules of axe-core (its tags), the level TLN's pages are held to. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const

/** One rule a page breaks (or, in `review`, one axe could not decide), with its elements (CSS selectors, at most five). */
export interface AxeViolation {
  readonly rule: string
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical'
  readonly help: string
  readonly targets: readonly string[]
}

/** What axe found on one page: rules broken, and rules it could not decide (e.g. contrast of SVG text), for a person to look at. */
export interface AxeResult {
  readonly violations: readonly AxeViolation[]
  readonly review: readonly AxeViolation[]
}

/**
 * Makes axe-core available on every page the context opens. The pages' CSP allows no inline or
 * injected script, so `addScriptTag` would be refused; an init script goes through the DevTools
 * protocol (Page.addScriptToEvaluateOnNewDocument), which page CSP does not govern, so the pages
 * and their headers stay exactly as served.
 */
export async function allowAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: AXE_SOURCE })
}

/**
 * Runs axe-core on the page as it is now, for the WCAG 2.1 A/AA rules. A page opened before
 * `allowAxe` gets the source evaluated the same way (Runtime.evaluate, outside the page's CSP).
 */
export async function checkPage(page: Page): Promise<AxeResult> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(`${AXE_SOURCE};undefined`)
  const results = await page.evaluate(async (tags) => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] })
    const list = (results: typeof r.violations) => results.map((v) => ({ rule: v.id, impact: v.impact ?? 'minor', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
    return { violations: list(r.violations), review: list(r.incomplete) }
  }, [...WCAG_21_AA])
  return results as AxeResult
}

/** Serious and critical violations fail a page; moderate and minor ones are listed. */
export const blocking = (violations: readonly AxeViolation[]) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')

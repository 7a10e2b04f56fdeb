import type { Knex } from '@tln/db'
import { Catalogue, contentItemsFor, OrgStore, type CatalogueItem, type LtiTool } from '@tln/lti-tool'
import type { LtiResourceLinkItem } from '@tln/lti-v1p3'
import type { Router } from 'express'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { resolveSecretKey } from '../secret-key.ts'
import { DemoCourseStore } from './demo-lms-course.ts'
import { DEMO_COURSE } from './demo-lms-people.ts'
import { demoLmsRouter } from './demo-lms-router.ts'
import { ensureDemoLms } from './demo-lms-setup.ts'

/**
 * Readies and wires the demo LMS (called by the composition root in demo mode only, after the demo
 * organisation is seeded and the tool is up). A public URL no platform may have (plain http off
 * loopback) leaves it off with a warning; the rest of the demo runs.
 */
export async function mountDemoLms(deps: { config: Config; knex: Knex; tool: LtiTool; logger: Logger; publicUrl: string }): Promise<{ router: Router; url: string } | undefined> {
  const secretKey = resolveSecretKey(deps.config)
  if (secretKey === undefined) return undefined
  try {
    const lms = await ensureDemoLms({ knex: deps.knex, platforms: deps.tool.platforms, publicUrl: deps.publicUrl, secretKey })
    const course = new DemoCourseStore(deps.knex, lms.issuer, DEMO_COURSE.id)
    await course.addContentItems(await demoCourseItems(deps.knex, deps.tool, deps.publicUrl))
    deps.logger.warn(
      { url: lms.issuer, registration: lms.registration, people: lms.people.length },
      'DEMO LMS ON: /demo/lms signs LTI launches as demo teachers and facilitators for ANYONE who can reach this server; demo mode only, never in production',
    )
    return { url: lms.issuer, router: demoLmsRouter({ lms, course, publicUrl: deps.publicUrl, secretKey, toolKeys: deps.tool.keys, logger: deps.logger, timeZone: deps.config.timeZone }) }
  } catch (error) {
    if (!(error instanceof ServerError)) throw error
    deps.logger.warn({ code: error.code, subject: error.subject }, `demo LMS off: ${error.message}`)
    return undefined
  }
}

/** The tasks the course starts with, by catalogue id: the RPPH task and one other. */
const SEED_TASKS = ['task-rpph', 'task-media'] as const

/**
 * What the course starts with, as the tool's Deep Linking picker would return it (`contentItemsFor`,
 * the catalogue of tenant `default`): two graded tasks, with their line items, and a link to TLN's
 * home page, whose menu leads to peer mentoring, the meeting check-in and the competence reports
 * (pages, not catalogue items).
 */
async function demoCourseItems(knex: Knex, tool: LtiTool, publicUrl: string): Promise<LtiResourceLinkItem[]> {
  const catalogue = new Catalogue({ knex, org: tool.tasks.org, tasks: tool.tasks.store })
  const tenantId = await new OrgStore(knex).tenantId('default')
  const tasks: CatalogueItem[] = []
  for (const id of SEED_TASKS) {
    const item = await catalogue.itemAtLaunch(tenantId, id)
    if (item !== undefined) tasks.push(item)
  }
  return [
    ...contentItemsFor(tasks, { publicUrl }),
    { type: 'ltiResourceLink', title: 'TLN: pendampingan, presensi, laporan / mentoring, check-in, reports', url: `${publicUrl}/lti/launch` },
  ]
}

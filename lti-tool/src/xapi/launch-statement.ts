import { nameUuid } from '@tln/xapi'
import type { LtiLaunch } from '@tln/lti-v1p3'
import type { Statement } from '@tln/xapi'
import { profileCategory } from './tln-profile.ts'

/** Namespace of the registrations TLN derives from LTI launches (a fixed random UUID). */
export const REGISTRATION_NAMESPACE = '5f0c3f7e-8d55-4f58-9a64-2a1f3c7b9e10'

export const LAUNCHED = 'http://adlnet.gov/expapi/verbs/launched'

/** Activity IRIs of a registration's LTI objects, below the tool's own URL space. */
export function ltiActivityIds(publicUrl: string, platformId: string) {
  const base = `${publicUrl}/lti/platforms/${platformId}`
  return {
    resourceLink: (id: string) => `${base}/resource-links/${encodeURIComponent(id)}`,
    context: (id: string) => `${base}/contexts/${encodeURIComponent(id)}`,
  }
}

/**
 * `context.registration` of a launch: a name-based UUID (RFC 9562 §5.5) of (platform, context,
 * user), so every launch of one person in one course lands in one registration on any process.
 */
export function launchRegistration(platformId: string, contextId: string | undefined, sub: string): string {
  return nameUuid(REGISTRATION_NAMESPACE, JSON.stringify([platformId, contextId ?? null, sub]))
}

/**
 * The xAPI statement of a launch (DOMAIN.md "xAPI statements the tool emits": module session →
 * launched): actor `{ account: { homePage: <platform issuer>, name: <sub> } }` (one identity per
 * platform), verb `launched`, object the resource link as an Activity, the course as grouping.
 * Pure; the caller validates and stores it.
 */
export function launchStatement(launch: LtiLaunch & { user: { sub: string } }, options: { publicUrl: string; platformId: string; timestamp: Date; id: string }): Statement {
  const ids = ltiActivityIds(options.publicUrl, options.platformId)
  const linkId = launch.resourceLink?.id ?? launch.context?.id ?? 'launch'
  const name = (text: string | undefined) => (text === undefined || text === '' ? {} : { name: { und: text } })
  return {
    id: options.id,
    actor: { objectType: 'Agent', ...(launch.user.name !== undefined && { name: launch.user.name }), account: { homePage: launch.platform.issuer, name: launch.user.sub } },
    verb: { id: LAUNCHED, display: { 'en-US': 'launched', id: 'meluncurkan' } },
    object: {
      objectType: 'Activity',
      id: ids.resourceLink(linkId),
      definition: { type: 'http://adlnet.gov/expapi/activities/link', ...name(launch.resourceLink?.title), ...(launch.resourceLink?.description ? { description: { und: launch.resourceLink.description } } : {}) },
    },
    context: {
      registration: launchRegistration(options.platformId, launch.context?.id, launch.user.sub),
      platform: 'LTI 1.3',
      contextActivities: {
        ...(launch.context !== undefined && {
          grouping: [{ objectType: 'Activity', id: ids.context(launch.context.id), definition: { type: 'http://adlnet.gov/expapi/activities/course', ...name(launch.context.title ?? launch.context.label) } }],
        }),
        category: profileCategory(),
      },
      extensions: {
        'https://purl.imsglobal.org/spec/lti/claim/deployment_id': launch.deploymentId,
        'https://purl.imsglobal.org/spec/lti/claim/roles': [...launch.roles],
      },
    },
    timestamp: options.timestamp.toISOString(),
  } as Statement
}

/**
 * Claim names of LTI 1.3 messages (LTI Core 1.3 §5.3–5.4, Deep Linking 2.0 §4.4, AGS 2.0 §3.1,
 * NRPS 2.0 §3.6). Kept as data so the checks and the launch mapping spell them once.
 */
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/'
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/'

export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  toolPlatform: `${LTI}tool_platform`,
  launchPresentation: `${LTI}launch_presentation`,
  custom: `${LTI}custom`,
  lis: `${LTI}lis`,
  roleScopeMentor: `${LTI}role_scope_mentor`,
  deepLinkingSettings: `${DL}deep_linking_settings`,
  deepLinkingData: `${DL}data`,
  contentItems: `${DL}content_items`,
  deepLinkingMsg: `${DL}msg`,
  deepLinkingLog: `${DL}log`,
  deepLinkingErrorMsg: `${DL}errormsg`,
  deepLinkingErrorLog: `${DL}errorlog`,
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrpsService: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const

/** OAuth 2 scopes of LTI Advantage services (AGS 2.0 §3.1, NRPS 2.0 §3.6.1). */
export const SCOPE = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  membershipReadOnly: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const

/** Media types of LTI Advantage service bodies (AGS 2.0 §3.2–3.5, NRPS 2.0 §3.6.3): one spelling for tool and platform side. */
export const MEDIA_TYPE = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
} as const

/** AGS 2.0 §3.4.7: "The activityProgress property of a score MUST have one of the following values". */
export const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const
/** AGS 2.0 §3.4.8: "The gradingProgress property of a score must have one of the following values". */
export const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const

/** The only LTI version this library speaks (LTI Core 1.3 §5.3.2). */
export const LTI_VERSION = '1.3.0'

/** Message types this library validates (LTI Core 1.3 §5.3.1, Deep Linking 2.0 §4.4.1). */
export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const
export type LtiMessageType = (typeof MESSAGE_TYPES)[number]

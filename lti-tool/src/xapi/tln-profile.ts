/**
 * The TLN xAPI Profile (docs/xapi-profile/tln-profile.jsonld, served at `/xapi/profiles/tln`).
 * xAPI Profiles 1.0 Part Two, "Using Profiles in Statements": statements that follow the
 * profile's templates SHOULD name the profile version as a category context activity.
 */
/** Base of TLN's own IRIs, shared with the demo program (`apps/server/src/seed/demo-program.ts`). */
export const TLN_BASE = 'https://tln.example/xapi'
/** Home page of TLN's own accounts and places (kecamatan, TLN groups). */
export const TLN_SITE = 'https://tln.example'
export const TLN_PROFILE_VERSION = `${TLN_BASE}/profile/v0.1`

/** The profile's context and result extensions the tool writes. */
export const TLN_EXTENSIONS = {
  kecamatan: `${TLN_BASE}/extensions/kecamatan`,
  npsn: `${TLN_BASE}/extensions/npsn`,
  tlnGroup: `${TLN_BASE}/extensions/tln-group`,
  rubricLevels: `${TLN_BASE}/extensions/rubric-levels`,
  submissionVersion: `${TLN_BASE}/extensions/submission-version`,
} as const

/** `context.contextActivities.category` of every statement the tool emits. */
export function profileCategory() {
  return [{ objectType: 'Activity', id: TLN_PROFILE_VERSION, definition: { type: 'http://adlnet.gov/expapi/activities/profile' } }]
}

/**
 * The TLN xAPI Profile (docs/xapi-profile/tln-profile.jsonld, served at `/xapi/profiles/tln`).
 * xAPI Profiles 1.0 Part Two, "Using Profiles in Statements": statements that follow the
 * profile's templates SHOULD name the profile version as a category context activity.
 */
export const TLN_PROFILE_VERSION = 'https://tln.example/xapi/profile/v0.1'

/** `context.contextActivities.category` of every statement the tool emits. */
export function profileCategory() {
  return [{ objectType: 'Activity', id: TLN_PROFILE_VERSION, definition: { type: 'http://adlnet.gov/expapi/activities/profile' } }]
}

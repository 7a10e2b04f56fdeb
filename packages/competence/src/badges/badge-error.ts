/**
 * Errors of the badges part of @tln/competence, with stable codes (STYLE.md rule 1). A class of
 * its own rather than more `CompetenceErrorCode`s, because `errors.ts` is shared by the engine
 * and report work running alongside; HTTP statuses are mapped at the edge (STYLE.md rule 3).
 */
export type BadgeErrorCode =
  /** A badge id in a URL is not a UUID. */
  | 'ERR_BADGE_INVALID_ID'
  | 'ERR_BADGE_NOT_FOUND'
  /** No tenant with that slug issues badges. */
  | 'ERR_BADGE_ISSUER_NOT_FOUND'
  /** A sealed private key cannot be opened (another secret, another kid, or altered). */
  | 'ERR_BADGE_SEALED_KEY_INVALID'
  /** A key that was rotated out was asked to sign: retired keys only verify (`tln badges keys rotate`). */
  | 'ERR_BADGE_KEY_RETIRED'
  /** A CLR asked for a learner with no badge and no proficient competence: there is nothing to record yet. */
  | 'ERR_BADGE_CLR_EMPTY'
  /** A CLR download asked without a session (`tln_session`). */
  | 'ERR_BADGE_NOT_SIGNED_IN'
  /** A CLR asked for a learner the viewer's grants do not cover. */
  | 'ERR_BADGE_FORBIDDEN'
  /** A CLR to verify is missing or not a compact JWS. */
  | 'ERR_BADGE_INVALID_JWT'

export class BadgeError extends Error {
  constructor(
    readonly code: BadgeErrorCode,
    message: string,
    /** The field at fault, for client errors (`id`, `tenant`, `learnerKey`). */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'BadgeError'
  }
}

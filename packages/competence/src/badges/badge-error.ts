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

export class BadgeError extends Error {
  constructor(
    readonly code: BadgeErrorCode,
    message: string,
    /** The field at fault, for client errors (`id`, `tenant`). */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'BadgeError'
  }
}

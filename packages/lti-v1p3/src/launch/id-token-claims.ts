/** The payload of an id_token whose signature has been verified; only this type reaches the claim checks. */
export type VerifiedClaims = Readonly<Record<string, unknown>> & { readonly __verified: unique symbol }

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A non-empty string, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** An array of strings, or undefined if the value is not one. */
export function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : undefined
}

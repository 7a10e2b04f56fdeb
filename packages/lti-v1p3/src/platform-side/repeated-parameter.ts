/**
 * The first of `names` that `params` holds more than once, or undefined. OAuth 2.0 says it of each
 * endpoint in the same words, "Request and response parameters MUST NOT be included more than
 * once" (RFC 6749 §3.1 authorization endpoint, §3.2 token endpoint), because which of the values
 * would count is undefined; each caller cites the section of its own endpoint.
 */
export function repeatedParameter(params: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => params.getAll(name).length > 1)
}

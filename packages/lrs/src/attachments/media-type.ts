/**
 * The media type of a Content-Type value, lowercased, without parameters
 * (`multipart/mixed; boundary=x` → `multipart/mixed`; RFC 2045 §5.1: type and subtype are
 * case-insensitive).
 */
export function mediaTypeEssence(contentType: string): string {
  const semicolon = contentType.indexOf(';')
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase()
}

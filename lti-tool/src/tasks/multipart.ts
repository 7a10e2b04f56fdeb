/**
 * A minimal `multipart/form-data` reader (RFC 7578) for the task form posted without script:
 * text fields and one file. The body is read whole (the route caps it just above 10 MB).
 * @returns undefined when the body is not well-formed multipart
 */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; file?: { name: string; content: Buffer } } | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/iu.exec(contentType)
  const boundary = m?.[1] ?? m?.[2]
  if (boundary === undefined || boundary.length > 200) return undefined
  const delimiter = Buffer.from(`--${boundary}`)
  const fields: Record<string, string> = {}
  let file: { name: string; content: Buffer } | undefined
  let at = body.indexOf(delimiter)
  if (at < 0) return undefined
  for (;;) {
    const start = at + delimiter.length
    if (body.subarray(start, start + 2).toString('latin1') === '--') break
    const headerEnd = body.indexOf('\r\n\r\n', start)
    if (headerEnd < 0) return undefined
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4)
    if (next < 0) return undefined
    const headers = body.subarray(start + 2, headerEnd).toString('utf8')
    const content = body.subarray(headerEnd + 4, next)
    const name = /name="([^"]*)"/iu.exec(headers)?.[1]
    const filename = /filename="([^"]*)"/iu.exec(headers)?.[1]
    if (name !== undefined) {
      if (filename !== undefined) { if (name === 'file' && filename !== '') file = { name: filename, content: Buffer.from(content) } }
      else fields[name] = content.toString('utf8')
    }
    at = next + 2
  }
  return { fields, ...(file !== undefined && { file }) }
}

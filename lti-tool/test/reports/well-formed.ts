/**
 * A small XML well-formedness check for the SVG and HTML fragments the report renderers write
 * (XML 1.0 §2.1 well-formed documents: matching tags, quoted attributes, `<` and `&` escaped in
 * text and attribute values). No parser is installed; this is enough to catch a broken tag or an
 * unescaped name. Returns the problems found (empty = well-formed).
 */
export function wellFormedProblems(xml: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  const token = /<[^<>]*>|[^<]+|</gu
  const entity = /&(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/giu
  for (const match of xml.matchAll(token)) {
    const t = match[0]
    if (t === '<') { problems.push(`raw < at ${match.index}`); continue }
    if (!t.startsWith('<')) {
      if (t.replace(entity, '').includes('&')) problems.push(`raw & in text at ${match.index}`)
      continue
    }
    if (t.startsWith('<!') || t.startsWith('<?')) continue
    const close = /^<\/([A-Za-z][\w:-]*)\s*>$/u.exec(t)
    if (close !== null) {
      const open = stack.pop()
      if (open !== close[1]) problems.push(`</${close[1]}> closes <${open ?? 'nothing'}> at ${match.index}`)
      continue
    }
    const open = /^<([A-Za-z][\w:-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>$/u.exec(t)
    if (open === null) { problems.push(`malformed tag ${t.slice(0, 60)}`); continue }
    if (open[2]!.replace(entity, '').includes('&')) problems.push(`raw & in attribute of <${open[1]}>`)
    if (open[3] !== '/') stack.push(open[1]!)
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(' > ')}`)
  return problems
}

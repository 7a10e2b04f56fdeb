/** Escape text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * The frame of every tool page: light (one small stylesheet, no fonts, no images) for cheap
 * phones on weak connections, Bahasa Indonesia first (`lang="id"`), scripts only from files.
 */
export function page(title: string, body: string, options: { scripts?: readonly string[] } = {}): string {
  const scripts = (options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n')
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/lti/static/tln.css">
</head>
<body>
<main>
${body}
</main>
${scripts}
</body>
</html>
`
}

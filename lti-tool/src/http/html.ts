/** Escape text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`)
}

/** One text in the pages' two languages: Bahasa Indonesia (`id`) and English (`en`). */
export type Bilingual = { readonly id: string; readonly en: string }

/**
 * "Indonesian / English" as every tool page writes it, escaped: the page is `lang="id"`, so the
 * English half goes in a `lang="en"` span for screen readers (WCAG 2.1 SC 3.1.2, Language of
 * Parts). `both({ id: 'Simpan', en: 'Save' })` → `Simpan <span lang="en">/ Save</span>`.
 */
export function both(text: Bilingual): string {
  return `${escapeHtml(text.id)} <span lang="en">/ ${escapeHtml(text.en)}</span>`
}

/**
 * {@link both} from its two halves, said once when they are spelled alike ("Kecamatan"): the
 * reports' convention, whose framework and area names are often the same in both languages.
 * The other pages keep {@link both}, which always shows both halves.
 */
export function bothUnlessSame(id: string, en: string): string {
  return id === en ? escapeHtml(id) : both({ id, en })
}

/** A sentence that ends with a name: no second full stop after a name that ends in one (`M.Pd.`). */
export function endSentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`
}

/** Where a signed-in person's TLN menu is: `/lti/home` (a local account's home, `/account`, is a redirect from it). */
export const HOME_PATH = '/lti/home'

/**
 * The frame of every tool page: light (one small stylesheet, no fonts, no images) for cheap
 * phones on weak connections, Bahasa Indonesia first (`lang="id"`), scripts only from files.
 * `home` puts the way back to the TLN menu above the page (see `signedInPage`).
 */
export function page(title: string, body: string, options: { scripts?: readonly string[]; home?: boolean } = {}): string {
  const scripts = (options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n')
  const home = options.home === true
    ? `<nav aria-label="TLN" class="tln-home"><a href="${HOME_PATH}" id="tln-home-link">${both({ id: 'Beranda TLN', en: 'TLN home' })}</a></nav>\n`
    : ''
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/lti/static/tln.css">
</head>
<body>
${home}<main>
${body}
</main>
${scripts}
</body>
</html>
`
}

/**
 * A page of a signed-in person, with the way back to the TLN menu: a teacher who opened a task
 * or "My tasks" from the menu had no link back to it, only the browser's Back (which inside the
 * LMS frame is easy to miss). Pages of a flow that must not be left half-way (the Deep Linking
 * picker) and pages for people who are not signed in (sign-in, a mentee's confirmation link,
 * errors) use `page`.
 */
export function signedInPage(title: string, body: string, options: { scripts?: readonly string[] } = {}): string {
  return page(title, body, { ...options, home: true })
}

import { createHash } from 'node:crypto'
import type { BadgeRecord, BadgeVerification } from '@tln/competence'
import { localDateText } from '@tln/lti-tool'

/** Escape text for an HTML text node or a double-quoted attribute value. */
function esc(value: string): string {
  return value.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`)
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:40rem;color:#1a1a1a}
h1{font-size:1.4rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0}
.status{padding:.6rem;border-radius:.3rem;font-weight:600}.valid{background:#e3f4e5}.revoked{background:#fbe3e3}
.links a{display:inline-block;margin:.3rem .6rem .3rem 0}small{color:#555}`

/** The page's Content-Security-Policy: no script, only this page's own style (by hash), never framed. */
export const BADGE_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The day as people at the deployment lived it (`TLN_TIME_ZONE`; in Lombok, WITA): a tier completed
 * at 07:30 WITA on 4 May is 23:30 UTC on 3 May.
 */
function day(iso: string, timeZone: string): string {
  return localDateText(new Date(iso), timeZone)
}

/**
 * The public page of a badge, Bahasa Indonesia first then English: who, which tier, when, whether
 * it is valid or revoked, and the download links. Light (no image, no font, no script) for phones.
 */
export function badgePage(badge: BadgeRecord, verification: BadgeVerification, recipient: string | undefined, timeZone: string): string {
  const vc = badge.credential
  const achievement = vc.credentialSubject.achievement
  const status = verification.valid
    ? '<p class="status valid">Sah / Valid</p>'
    : badge.revokedAt !== null
      ? `<p class="status revoked">Dicabut / Revoked ${esc(day(badge.revokedAt.toISOString(), timeZone))}<br><small>${esc(badge.revocationReason ?? '')}</small></p>`
      : `<p class="status revoked">Tidak sah / Not valid<br><small>${esc(verification.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail ?? ''}`).join('; '))}</small></p>`
  const competences = achievement.alignment
    .map((a) => `<li><a href="${esc(a.targetUrl)}">${esc(a.targetCode ?? '')}</a> ${esc(a.targetName)}${a.targetDescription !== undefined ? ` <small>(${esc(a.targetDescription)})</small>` : ''}</li>`)
    .join('')
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(vc.name)} — Lencana TLN</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Lencana / Badge: ${esc(vc.name)}</h1>
${status}
<dl>
<dt>Penerima / Recipient</dt><dd>${esc(recipient ?? 'Pendidik PAUD (identitas tersamar) / PAUD educator (identity hashed)')}</dd>
<dt>Pencapaian / Achievement</dt><dd>${esc(achievement.name)}<br><small>${esc(achievement.description)}</small></dd>
<dt>Kriteria / Criteria</dt><dd>${esc(achievement.criteria.narrative)}</dd>
<dt>Kompetensi / Competences</dt><dd><ul>${competences}</ul></dd>
<dt>Diterbitkan oleh / Issued by</dt><dd>${esc(vc.issuer.name)}</dd>
<dt>Berlaku sejak / Valid from</dt><dd>${esc(day(vc.validFrom, timeZone))}</dd>
</dl>
<p class="links">Unduh / Download:
<a href="/badges/${badge.id}.jwt" download>VC-JWT (Open Badges 3.0)</a>
<a href="/badges/${badge.id}.json" download>JSON-LD</a>
<a href="/badges/${badge.id}/verify">Periksa / Verify</a></p>
</main>
</body>
</html>
`
}

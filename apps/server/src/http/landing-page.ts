import { createHash } from 'node:crypto'
import type { RequestHandler } from 'express'

/**
 * The page at `/`: what TLN is and where its LRS endpoint is, in Bahasa Indonesia first and
 * English second. Teachers open it on cheap phones over weak connections, so it is one small
 * HTML document with no script, no web fonts and no images.
 */
const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}code{background:#f2f2f2;padding:.1rem .3rem;word-break:break-all}
section+section{border-top:1px solid #ddd}`

/** The CSP hash of the page's only style block (`style-src 'sha256-…'`). */
export const LANDING_STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`

export function landingPage(publicUrl: string): RequestHandler {
  const endpoint = escapeHtml(`${publicUrl}/xapi/`)
  const html = `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TLN — Teacher Learning Network</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<section lang="id">
<h1>TLN — Teacher Learning Network</h1>
<p>TLN adalah Learning Record Store (LRS) xAPI dan perangkat LTI 1.3 untuk jejaring belajar guru PAUD,
seperti jejaring TLN di 12 kecamatan Kabupaten Lombok Tengah. TLN mencatat kegiatan belajar guru
(diklat berjenjang, penyusunan Prota, Promes, RPPM dan RPPH, pendampingan sejawat, pertemuan rutin)
sebagai pernyataan xAPI, dan menjadikannya laporan kompetensi.</p>
<p>Endpoint LRS: <code>${endpoint}</code></p>
<p>Aplikasi klien xAPI memakai HTTP Basic (kunci dan rahasia dari administrator) dan header
<code>X-Experience-API-Version</code>.</p>
<p><a href="/reports">Laporan kompetensi</a> (admin kabupaten, fasilitator, guru: masuk dulu di <a href="/login">/login</a> atau dari LMS).</p>
</section>
<section lang="en">
<h2>English</h2>
<p>TLN is an xAPI Learning Record Store (LRS) and LTI 1.3 toolkit for early-childhood (PAUD)
teacher-training networks, such as the TLN groups in the 12 kecamatan of Lombok Tengah. It records
what teachers learn and do (tiered training, lesson plans, peer mentoring, routine meetings) as xAPI
statements and turns them into competence reports.</p>
<p>LRS endpoint: <code>${endpoint}</code></p>
<p>xAPI clients authenticate with HTTP Basic (a key and secret from the administrator) and send the
<code>X-Experience-API-Version</code> header.</p>
<p><a href="/reports">Competence reports</a> (district admins, facilitators, teachers: sign in first at <a href="/login">/login</a> or from the LMS).</p>
</section>
</main>
</body>
</html>
`
  return (_req, res) => {
    res.type('html').set('Cache-Control', 'public, max-age=300').send(html)
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

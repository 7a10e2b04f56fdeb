import { CSRF_FIELD } from '../accounts/csrf.ts'
import { both, escapeHtml, signedInPage } from '../http/html.ts'
import type { PlatformRecord } from '../stores/platform-store.ts'
import type { FieldProblem, PlatformField } from './platform-form.ts'

type Text = { readonly id: string; readonly en: string }

const FIELD_LABELS: Readonly<Record<PlatformField, Text & { hint?: string }>> = {
  issuer: { id: 'Platform ID (issuer)', en: 'Platform ID (issuer)', hint: 'https://moodle.example.org' },
  clientId: { id: 'Client ID', en: 'Client ID' },
  authorizationEndpoint: { id: 'URL permintaan autentikasi', en: 'Authentication request URL', hint: 'https://moodle.example.org/mod/lti/auth.php' },
  tokenEndpoint: { id: 'URL token akses', en: 'Access token URL', hint: 'https://moodle.example.org/mod/lti/token.php' },
  jwksUri: { id: 'URL keyset publik (JWKS)', en: 'Public keyset URL (JWKS)', hint: 'https://moodle.example.org/mod/lti/certs.php' },
  authorizationServer: { id: 'Audiens token (opsional)', en: 'Token audience (optional)' },
  deploymentIds: { id: 'Deployment ID (satu per baris)', en: 'Deployment IDs (one per line)' },
}

/** What an action left, shown once above the list (`?done=`). */
export const DONE: Readonly<Record<string, Text>> = {
  added: { id: 'Platform ditambahkan dan aktif.', en: 'Platform added and active.' },
  activated: { id: 'Platform diaktifkan: peluncuran darinya diterima.', en: 'Platform activated: its launches are accepted.' },
  deactivated: { id: 'Platform dinonaktifkan: peluncuran darinya ditolak.', en: 'Platform deactivated: its launches are refused.' },
  'deployment-added': { id: 'Deployment ID ditambahkan.', en: 'Deployment ID added.' },
  'deployment-removed': { id: 'Deployment ID dihapus.', en: 'Deployment ID removed.' },
}

export interface ToolUrls {
  readonly login: string
  readonly launch: string
  readonly jwks: string
  readonly config: string
  readonly register: string
}

const csrfInput = (token: string) => `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`

/** `/lti/admin/platforms`: the tool's URLs, the tenant's registrations, and the form to add one. */
export function platformsPage(input: {
  csrf: string; tenant: string; urls: ToolUrls; platforms: readonly PlatformRecord[]
  done?: Text; problems?: readonly FieldProblem[]; values?: Readonly<Record<string, string>>; deploymentProblem?: { platformId: string; text: Text }
}): string {
  const done = input.done === undefined ? '' : `<div class="box ok" role="status" id="tln-done"><p>${escapeHtml(input.done.id)}</p><p lang="en">${escapeHtml(input.done.en)}</p></div>`
  const list = input.platforms.length === 0
    ? '<p id="tln-no-platforms">Belum ada platform. <span lang="en">No platforms yet.</span></p>'
    : `<ul class="queue" id="tln-platforms">${input.platforms.map((p) => platformItem(p, input.csrf, input.deploymentProblem?.platformId === p.id ? input.deploymentProblem.text : undefined)).join('\n')}</ul>`
  return signedInPage('TLN — Platform LMS', `
<h1>Platform LMS (LTI 1.3)</h1>
<p lang="en">LMS platforms that may launch TLN — tenant <strong>${escapeHtml(input.tenant)}</strong></p>
${done}
<h2>Alamat TLN untuk LMS <span lang="en">/ TLN's URLs for the LMS</span></h2>
<p>Salin alamat ini ke konfigurasi alat di LMS. <span lang="en">Paste these into the tool configuration of the LMS.</span></p>
<ul class="queue" id="tln-tool-urls">
<li>Dynamic Registration<br><code>${escapeHtml(input.urls.register)}</code></li>
<li>Tool URL / Redirection URI / Deep Linking<br><code>${escapeHtml(input.urls.launch)}</code></li>
<li>Initiate login URL<br><code>${escapeHtml(input.urls.login)}</code></li>
<li>Public keyset (JWKS)<br><code>${escapeHtml(input.urls.jwks)}</code></li>
<li>config.json<br><code>${escapeHtml(input.urls.config)}</code></li>
</ul>
<h2>${both({ id: 'Platform terdaftar', en: 'Registered platforms' })}</h2>
${list}
<h2 id="add">${both({ id: 'Tambah platform secara manual', en: 'Add a platform by hand' })}</h2>
<p>Isi dengan data dari LMS (Moodle: ikon <em>View configuration details</em> pada alat TLN). Platform yang ditambahkan di sini langsung aktif.</p>
<p lang="en">Fill in from the LMS (Moodle: the <em>View configuration details</em> icon on the TLN tool). A platform added here is active at once.</p>
${addForm(input.csrf, input.problems ?? [], input.values ?? {})}`)
}

function platformItem(p: PlatformRecord, csrf: string, deploymentProblem: Text | undefined): string {
  const base = `/lti/admin/platforms/${encodeURIComponent(p.id)}`
  const status = p.status === 'active'
    ? `<strong class="status-active">${both({ id: 'Aktif', en: 'Active' })}</strong>`
    : `<strong class="status-pending">${both({ id: 'Menunggu aktivasi', en: 'Pending' })}</strong>`
  const deployments = p.deploymentIds.length === 0
    ? '<p>Belum ada deployment ID. <span lang="en">No deployment ID yet.</span></p>'
    : `<ul>${p.deploymentIds.map((d) => `<li><code>${escapeHtml(d)}</code>
<form method="post" action="${base}/deployments/remove" class="inline">${csrfInput(csrf)}<input type="hidden" name="deploymentId" value="${escapeHtml(d)}">
<button type="submit" class="secondary">${both({ id: 'Hapus', en: 'Remove' })}</button></form></li>`).join('\n')}</ul>`
  const toggle = p.status === 'pending'
    ? `<form method="post" action="${base}/activate">${csrfInput(csrf)}<button type="submit">${both({ id: 'Aktifkan', en: 'Activate' })}</button></form>`
    : `<form method="post" action="${base}/deactivate">${csrfInput(csrf)}<button type="submit" class="secondary">${both({ id: 'Nonaktifkan', en: 'Deactivate' })}</button></form>`
  const problem = deploymentProblem === undefined ? '' : `<p class="field-error" role="alert" id="err-deployment-${escapeHtml(p.id)}">${both(deploymentProblem)}</p>`
  return `<li class="platform" data-platform="${escapeHtml(p.id)}">
<p>${status} — ${p.registeredBy === 'dynamic' ? 'Dynamic Registration' : 'manual'}</p>
<dl>
<dt>Platform ID</dt><dd><code>${escapeHtml(p.issuer)}</code></dd>
<dt>Client ID</dt><dd><code>${escapeHtml(p.clientId)}</code></dd>
<dt>Auth URL</dt><dd><code>${escapeHtml(p.authorizationEndpoint)}</code></dd>
<dt>Token URL</dt><dd><code>${escapeHtml(p.tokenEndpoint)}</code></dd>
<dt>JWKS</dt><dd><code>${escapeHtml(p.jwksUri)}</code></dd>
</dl>
<p>Deployment ID:</p>
${deployments}
<form method="post" action="${base}/deployments">${csrfInput(csrf)}
<p><label for="dep-${escapeHtml(p.id)}">${both({ id: 'Tambah deployment ID', en: 'Add a deployment ID' })}</label><br>
<input id="dep-${escapeHtml(p.id)}" name="deploymentId" required maxlength="255"${deploymentProblem === undefined ? '' : ` aria-invalid="true" aria-describedby="err-deployment-${escapeHtml(p.id)}"`}>
<button type="submit" class="secondary">${both({ id: 'Tambah', en: 'Add' })}</button></p>${problem}
</form>
${toggle}
</li>`
}

function addForm(csrf: string, problems: readonly FieldProblem[], values: Readonly<Record<string, string>>): string {
  const summary = problems.length === 0 ? '' : `<div class="box error" role="alert" id="tln-form-problems">
<p>Platform belum disimpan. Perbaiki isian yang ditandai.</p><p lang="en">The platform was not saved. Fix the marked fields.</p></div>`
  const field = (name: PlatformField) => {
    const label = FIELD_LABELS[name]
    const mine = problems.filter((p) => p.field === name)
    const errorId = `err-${name}`
    const invalid = mine.length === 0 ? '' : ` aria-invalid="true" aria-describedby="${errorId}"`
    const required = name === 'authorizationServer' ? '' : ' required'
    const control = name === 'deploymentIds'
      ? `<textarea id="f-${name}" name="${name}" rows="3"${required}${invalid}>${escapeHtml(values[name] ?? '')}</textarea>`
      : `<input id="f-${name}" name="${name}" type="${name === 'clientId' ? 'text' : 'url'}"${name === 'clientId' ? ' size="32"' : ''} maxlength="2000"${required}${invalid} value="${escapeHtml(values[name] ?? '')}"${label.hint === undefined ? '' : ` placeholder="${escapeHtml(label.hint)}"`}>`
    const errors = mine.length === 0 ? '' : `<strong class="field-error" id="${errorId}" data-rule="${escapeHtml(mine.map((p) => p.rule).join(' '))}">${mine.map((p) => both(p.message)).join(' ')}</strong>`
    return `<p><label for="f-${name}">${both(label)}</label><br>${control}<br>${errors}</p>`
  }
  return `${summary}<form method="post" action="/lti/admin/platforms" id="tln-add-platform" novalidate>
${csrfInput(csrf)}
${(['issuer', 'clientId', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'deploymentIds', 'authorizationServer'] as const).map(field).join('\n')}
<p><button type="submit">${both({ id: 'Simpan platform', en: 'Save platform' })}</button></p>
</form>`
}

/** The confirmation of a destructive action: nothing happens until this form is posted. */
export function confirmPage(input: { csrf: string; action: string; question: Text; detail: string; fields?: Readonly<Record<string, string>> }): string {
  const hidden = Object.entries(input.fields ?? {}).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n')
  return signedInPage('TLN — Konfirmasi', `
<h1>${both({ id: 'Konfirmasi', en: 'Confirm' })}</h1>
<div class="box" role="alert" id="tln-confirm"><p>${escapeHtml(input.question.id)}</p><p lang="en">${escapeHtml(input.question.en)}</p>
<p><code>${escapeHtml(input.detail)}</code></p></div>
<form method="post" action="${escapeHtml(input.action)}">
${csrfInput(input.csrf)}
${hidden}
<input type="hidden" name="confirm" value="yes">
<p><button type="submit">${both({ id: 'Ya, lanjutkan', en: 'Yes, continue' })}</button></p>
</form>
<p><a href="/lti/admin/platforms">Batal / Cancel</a></p>`)
}

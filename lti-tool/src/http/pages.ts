import { ROLE_ACTIONS, type Action } from '../org/access.ts'
import type { Grant } from '../org/org-types.ts'
import type { Session } from '../session/session-store.ts'
import type { TlnRole } from '../session/roles.ts'
import { TOP_LEVEL_PATHS } from '../session/top-level-paths.ts'
import { handoffMenuItem } from './handoff-page.ts'
import { both, endSentence, escapeHtml, page } from './html.ts'

const ROLE_NAMES: Record<TlnRole, { id: string; en: string }> = {
  teacher: { id: 'Guru (peserta)', en: 'Teacher (participant)' },
  facilitator: { id: 'Fasilitator (narasumber)', en: 'Facilitator' },
  admin: { id: 'Administrator', en: 'Administrator' },
  guest: { id: 'Tamu', en: 'Guest' },
}

/**
 * The landing page after a launch: who is signed in and from which course. `ticket` (present on
 * the launch response inside the LMS iframe) arms the "open TLN in a new window" offer, which the
 * session-check script shows only when the session cookie did not come back. `csrf` (the session's
 * form token, also only in the frame) turns the menu's never-framed pages into hand-off forms.
 */
export function landingPage(session: Pick<Session, 'user' | 'launch'>, options: { ticket?: string; csrf?: string } = {}): string {
  const { user, launch } = session
  const who = user.name ?? user.email ?? user.sub
  const role = ROLE_NAMES[user.role]
  const row = (id: string, en: string, value: string | undefined) =>
    value === undefined || value === '' ? '' : `<dt>${id} <small lang="en">/ ${en}</small></dt><dd>${escapeHtml(value)}</dd>`
  const offer = options.ticket === undefined ? '' : `
<div id="tln-new-window" class="box" hidden>
<p>Peramban Anda tidak menyimpan sesi TLN di dalam bingkai LMS ini. Buka TLN di jendela baru untuk melanjutkan.</p>
<p lang="en">Your browser does not keep the TLN session inside this LMS frame. Open TLN in a new window to continue.</p>
<form method="post" action="/lti/continue" target="_blank">
<input type="hidden" name="ticket" value="${escapeHtml(options.ticket)}">
<button type="submit">${both({ id: 'Buka TLN di jendela baru', en: 'Open TLN in a new window' })}</button>
</form>
</div>`
  return page('TLN — Beranda', `
<h1 id="tln-signed-in" data-sub="${escapeHtml(user.sub)}">Selamat datang, ${escapeHtml(who)}</h1>
<p lang="en">Welcome, ${escapeHtml(endSentence(who))} You are signed in to TLN.</p>
<dl>
${row('Nama', 'Name', user.name)}
${row('Email', 'Email', user.email)}
<dt>Peran <small lang="en">/ Role</small></dt><dd>${both(role)}</dd>
${row('Kursus', 'Course', launch.contextTitle ?? launch.contextLabel)}
${row('Aktivitas', 'Activity', launch.resourceLinkTitle)}
${row('LMS', 'LMS', launch.issuer)}
</dl>
${navigation(user.role, options.csrf === undefined ? {} : { handoffCsrf: options.csrf })}${offer}`, { scripts: options.ticket === undefined ? [] : ['/lti/static/session-check.js'] })
}

/** A failure the user sees: plain Indonesian and English, and a reference id to quote to support. */
export function errorPage(message: { id: string; en: string }, referenceId: string, options: { restartLogin?: Readonly<Record<string, string>> } = {}): string {
  return page('TLN — Terjadi masalah', `
<div class="box error" role="alert">
<h1>Maaf, terjadi masalah</h1>
<p>${escapeHtml(message.id)}</p>
<p lang="en">${escapeHtml(message.en)}</p>${options.restartLogin === undefined ? '' : newWindowLogin(options.restartLogin)}
<p>${both({ id: 'Kode rujukan', en: 'Reference' })}: <code id="tln-error-ref">${escapeHtml(referenceId)}</code></p>
</div>`)
}

/**
 * The "open in a new window" offer of a launch not bound to this browser: the same login
 * initiation, opened top-level (`target="_blank"`), where the state cookie is first-party and comes
 * back. A link, not a form: `form-action 'self'` would block the login's redirect to the platform.
 * No script (strict CSP).
 */
export function newWindowLogin(initiation: Readonly<Record<string, string>>): string {
  const href = `/lti/login?${new URLSearchParams(initiation as Record<string, string>).toString()}`
  return `
<p><a id="tln-restart-login" class="button" href="${escapeHtml(href)}" target="_blank" rel="noopener">${both({ id: 'Buka TLN di jendela baru', en: 'Open TLN in a new window' })}</a></p>`
}

/**
 * What the LMS does next, by its `product_family_code` (LTI DR 1.0 §3.4): Moodle keeps a
 * dynamically registered tool pending until a site administrator activates it; Canvas makes a
 * developer key that an administrator turns on and installs by its client id. Another LMS: the
 * administrator finishes there as that LMS asks.
 */
function platformNextStep(productFamilyCode: string | undefined, clientId: string): { id: string; en: string } {
  const id = escapeHtml(clientId)
  switch (productFamilyCode?.toLowerCase()) {
    case 'moodle':
      return {
        id: `Moodle menyimpan alat ini dalam status <strong>tertunda (pending)</strong> sampai administrator mengaktifkannya di
<em>Administrasi situs → Plugin → Modul aktivitas → Alat eksternal → Kelola alat</em>.`,
        en: `Moodle keeps the tool <strong>pending</strong> until an administrator
activates it under <em>Site administration → Plugins → Activity modules → External tool → Manage tools</em>.`,
      }
    case 'canvas':
      return {
        id: `Di Canvas, administrator mengaktifkan (<em>ON</em>) developer key TLN di <em>Admin → Developer Keys</em>, lalu
memasang TLN dengan client ID <code>${id}</code> di <em>Settings → Apps</em>.`,
        en: `In Canvas an administrator turns the TLN developer key <em>ON</em> under <em>Admin → Developer Keys</em>, then
installs TLN by client ID <code>${id}</code> under <em>Settings → Apps</em>.`,
      }
    default:
      return {
        id: 'Selesaikan pemasangan di LMS sesuai petunjuk LMS itu (misalnya mengaktifkan alat atau memasangnya di kursus).',
        en: 'Finish the installation in the LMS as it asks (for example activate the tool, or add it to a course).',
      }
  }
}

/** Dynamic Registration done (LTI Dynamic Registration 1.0 §3.6): tells the admin what comes next, then the script posts `org.imsglobal.lti.close`. */
export function registrationDonePage(input: { issuer: string; clientId: string; deploymentId?: string; pending: boolean; productFamilyCode?: string }): string {
  const tlnPending = !input.pending ? '' : `
<p>Di TLN, pendaftaran ini juga menunggu aktivasi: operator TLN menjalankan
<code>tln platform activate --issuer ${escapeHtml(input.issuer)} --client-id ${escapeHtml(input.clientId)}</code>.</p>
<p lang="en">In TLN this registration also waits for activation: a TLN operator runs the command above.</p>`
  const next = platformNextStep(input.productFamilyCode, input.clientId)
  return page('TLN — Pendaftaran selesai', `
<h1>TLN sudah terdaftar</h1>
<p>TLN sudah terdaftar di LMS ini (client_id <code>${escapeHtml(input.clientId)}</code>${input.deploymentId ? `, deployment <code>${escapeHtml(input.deploymentId)}</code>` : ''}).
${next.id}</p>
<p lang="en">TLN is registered with this LMS. ${next.en}</p>${tlnPending}
<p>Jendela ini dapat ditutup. <span lang="en">You may close this window.</span></p>`, { scripts: ['/lti/static/close.js'] })
}

/**
 * Who the menu is for: an LTI launch's role, or the grants of a local account (district admins,
 * BPPAUD staff, coordinators signing in at `/login`), whose links follow what the grants allow.
 */
export type MenuViewer = string | { readonly grants: readonly Grant[] }

/**
 * Where each role goes from the home page (issue 5: "Role-aware navigation"). Pages that are never
 * framed (`TOP_LEVEL_PATHS`) open in a new window: top-level, a plain link (the session cookie is
 * first-party there too); in the LMS frame (`handoffCsrf`: the session's form token), a form that
 * asks for a session hand-off (`handoff-router.ts`), since a partitioned cookie stays in the frame.
 */
export function navigation(viewer: MenuViewer, options: { handoffCsrf?: string } = {}): string {
  const lti = typeof viewer === 'string'
  const role = lti ? viewer : ''
  const grants = lti ? [] : viewer.grants
  const may = (action: Action) => grants.some((g) => ROLE_ACTIONS[g.role].has(action))
  const staff = role === 'facilitator' || role === 'admin' || may('tasks:grade')
  const tenantAdmin = role === 'admin' || grants.some((g) => g.role === 'admin' && g.nodePath === undefined)
  // The import page works on a node: a grant's node, or the tenant for a tenant-wide grant.
  const orgGrant = grants.find((g) => ROLE_ACTIONS[g.role].has('org:manage'))
  const orgImport = orgGrant?.nodeId === undefined ? '/lti/org/import' : `/lti/org/import?node=${encodeURIComponent(orgGrant.nodeId)}`
  const links: Array<[href: string, id: string, idText: string, en: string, show: boolean]> = [
    ['/lti/mentoring', 'tln-mentoring-link', 'Pendampingan sejawat', 'Peer mentoring', lti],
    ['/lti/meetings/check-in', 'tln-check-in-link', 'Presensi pertemuan (kode)', 'Meeting check-in (code)', lti],
    ['/reports', 'tln-reports-link', 'Laporan kompetensi', 'Competence reports', lti || may('reports:read')],
    ['/lti/tasks/mine', 'tln-my-tasks-link', 'Tugas saya', 'My tasks', role === 'teacher'],
    ['/lti/grading', 'tln-grading-link', 'Antrean penilaian', 'Grading queue', staff],
    ['/lti/tasks/admin', 'tln-task-admin-link', 'Tugas kinerja dan rubrik', 'Performance tasks and rubrics', staff],
    ['/lti/grades', 'tln-grades-link', 'Nilai yang gagal terkirim ke LMS', 'Grades that did not reach the LMS', staff],
    ['/lti/meetings', 'tln-meetings-link', 'Pertemuan kelompok TLN', 'TLN group meetings', staff],
    // District admins define the instruments; monitors, facilitators and coordinators fill them in.
    ['/lti/observations', 'tln-observations-link', 'Observasi dan wawancara', 'Observations and interviews', staff || may('evaluations:record') || grants.some((g) => g.role === 'district-admin')],
    ['/lti/classes', 'tln-classes-link', 'Kelas dari LMS', 'Classes from the LMS', lti && staff],
    [orgImport, 'tln-org-import-link', 'Impor sekolah dan guru', 'Import schools and teachers', role === 'admin' || may('org:manage')],
    ['/lti/admin/platforms', 'tln-platforms-link', 'Platform LMS', 'LMS platforms', tenantAdmin],
    ['/lti/admin/programs', 'tln-programs-link', 'Program, jenjang dan modul', 'Programs, tiers and modules', role === 'admin' || may('program:manage')],
  ]
  // The platforms page is never framed (`frame-ancestors 'none'`: it edits registrations), so from the LMS frame it opens top-level.
  const items = links.filter((l) => l[4]).map(([href, id, idText, en]) => !TOP_LEVEL_PATHS.has(href)
    ? `<li><a href="${escapeHtml(href)}" id="${id}">${both({ id: idText, en })}</a></li>`
    : options.handoffCsrf !== undefined ? handoffMenuItem({ path: href, id, idText, en, csrf: options.handoffCsrf })
    : `<li><a href="${escapeHtml(href)}" id="${id}" target="_blank" rel="noopener">${both({ id: idText, en })}</a> <small>(${both({ id: 'jendela baru', en: 'new window' })})</small></li>`)
  return `<nav aria-label="Menu TLN"><ul>\n${items.join('\n')}\n</ul></nav>`
}

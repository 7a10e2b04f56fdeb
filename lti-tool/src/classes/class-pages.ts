import { both, escapeHtml, signedInPage } from '../http/html.ts'
import { localTimeHtml } from '../http/local-time.ts'
import type { ClassMember, CourseClass } from './course-classes.ts'

const ROLE: Readonly<Record<string, { id: string; en: string }>> = {
  teacher: { id: 'Guru (peserta)', en: 'Teacher (learner)' },
  facilitator: { id: 'Fasilitator', en: 'Facilitator' },
  admin: { id: 'Administrator', en: 'Administrator' },
  guest: { id: 'Tamu', en: 'Guest' },
}

/** `/lti/classes`: the classes of the courses where the person teaches (all of them for an admin). */
export function classListPage(classes: readonly CourseClass[]): string {
  const items = classes.map((c) => `<li><a href="/lti/classes/${encodeURIComponent(c.id)}">${escapeHtml(c.title ?? c.contextId)}</a> <small>${escapeHtml(c.issuer)}</small></li>`).join('\n')
  return signedInPage('TLN — Kelas', `
<h1>Kelas saya</h1>
<p lang="en">My classes (LMS courses whose roster TLN has synced)</p>
${classes.length === 0 ? '<p id="tln-no-classes">Belum ada kelas. Kelas muncul setelah fasilitator membuka TLN dari kursus di LMS. <span lang="en">No classes yet. A class appears once a facilitator opens TLN from an LMS course.</span></p>' : `<ul class="queue" id="tln-classes">${items}</ul>`}`)
}

/** `/lti/classes/:id`: the members of one class, facilitators first, inactive ones last. */
export function classPage(cls: CourseClass, members: readonly ClassMember[], timeZone: string): string {
  const active = members.filter((m) => m.status === 'active').length
  const rows = members.map((m) => `<tr class="member-${m.status}" data-role="${escapeHtml(m.role)}"><td>${escapeHtml(m.name)}</td>
<td>${both(ROLE[m.role] ?? ROLE.guest!)}</td>
<td>${escapeHtml(m.schoolName ?? '—')}</td>
<td>${m.status === 'active' ? both({ id: 'aktif', en: 'active' }) : both({ id: 'tidak aktif', en: 'inactive' })}</td></tr>`).join('\n')
  return signedInPage(`TLN — ${cls.title ?? cls.contextId}`, `
<h1 id="tln-class-title">${escapeHtml(cls.title ?? cls.contextId)}</h1>
<p>${both({ id: 'Kelas dari kursus LMS', en: 'Class from an LMS course' })}: <code>${escapeHtml(cls.issuer)}</code></p>
<p>${both({ id: `${active} anggota aktif dari ${members.length}`, en: `${active} active members of ${members.length}` })}${cls.lastSyncAt === undefined ? '' : ` · ${both({ id: 'sinkron terakhir', en: 'last synced' })} ${localTimeHtml(cls.lastSyncAt, timeZone)}`}</p>
<p><small>Daftar ini diambil dari LMS (Names and Role Provisioning). Guru tanpa lembaga ditempatkan oleh admin lewat impor CSV. <span lang="en">This list comes from the LMS. Teachers without a school are placed by an admin through the CSV import.</span></small></p>
<table id="tln-members"><thead><tr><th>Nama / Name</th><th>Peran / Role</th><th>Lembaga / School</th><th>Status</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><a href="/lti/classes">Semua kelas / All classes</a></p>`)
}

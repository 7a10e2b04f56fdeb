import type { Knex } from '@tln/db'
import { ifiKey } from '@tln/xapi'
import { isUuid } from '../org/org-store.ts'

type Db = Knex | Knex.Transaction

/** A TLN class: one LMS course (platform + context) whose roster came through NRPS. */
export interface CourseClass {
  readonly id: string
  readonly tenantId: string
  readonly platformId: string
  readonly issuer: string
  readonly contextId: string
  readonly title?: string
  readonly lastSyncAt?: Date
}

/** A member of a class as the class page lists it. */
export interface ClassMember {
  readonly userId: string
  readonly personId?: string
  readonly name: string
  readonly email?: string
  /** `teacher` (Learner) or `facilitator` (Instructor), `admin`, or `guest`. */
  readonly role: string
  readonly status: 'active' | 'inactive'
  readonly schoolName?: string
}

/**
 * The xAPI identity of an LTI user (DOMAIN.md: actor `{ account: { homePage: <issuer>, name: <sub> } }`),
 * as the `person_identity` key the reports join on.
 */
export function ltiIfiKey(issuer: string, sub: string): string {
  return ifiKey({ account: { homePage: issuer, name: sub } })!
}

/**
 * Course rosters as TLN classes (`course_class`, `course_roster.person_id`; issue 4 "a course
 * roster becomes a TLN class", issue 5 "roster sync from LTI Names and Roles").
 */
export class CourseClasses {
  constructor(private readonly knex: Knex) {}

  /**
   * Inside the roster sync's transaction: make (or retitle) the course's class, and link every
   * roster member not linked yet to a person of the tenant — by LTI (issuer, sub) on
   * `person.lti_issuer`/`lti_sub`; else by e-mail (case-insensitive) to a person not linked to
   * another LTI account, who then gets this one; else a new person without a school (an
   * administrator places them later). Each link also writes `person_identity` (first writer wins)
   * so the reports find the member's statements. Set-based (a few statements per course, not per
   * member), so a large course holds the transaction briefly.
   * @returns the class id and how many members were linked now
   */
  async fromRoster(trx: Db, input: { tenantId: string; platformId: string; issuer: string; contextId: string; title?: string }): Promise<{ classId: string; linked: number }> {
    const { tenantId, platformId, issuer, contextId } = input
    const [cls] = (await trx('course_class')
      .insert({ tenant_id: tenantId, platform_id: platformId, context_id: contextId, title: input.title ?? null })
      .onConflict(['platform_id', 'context_id'])
      .merge({ title: trx.raw('coalesce(excluded.title, course_class.title)'), updated_at: trx.fn.now() })
      .returning('id')) as { id: string }[]
    const unlinked = (await trx('course_roster as r').join('lti_user as u', 'u.id', 'r.user_id').select('r.user_id', 'u.sub')
      .where({ 'r.platform_id': platformId, 'r.context_id': contextId }).whereNull('r.person_id')) as Array<{ user_id: string; sub: string }>
    if (unlinked.length === 0) return { classId: cls!.id, linked: 0 }
    const course = [platformId, contextId]
    // 1. The person already linked to this LMS account.
    await trx.raw(`
      update course_roster r set person_id = p.id
        from lti_user u, person p
       where r.platform_id = ? and r.context_id = ? and r.person_id is null and u.id = r.user_id
         and p.tenant_id = ? and p.lti_issuer = ? and p.lti_sub = u.sub`, [...course, tenantId, issuer])
    // 2. A person with the member's e-mail and no LMS account yet (e.g. imported from a CSV): one person per member and back.
    await trx.raw(`
      with candidate as (
        select distinct on (p.id) p.id as person_id, r.user_id, u.sub, p.created_at
          from course_roster r join lti_user u on u.id = r.user_id
          join person p on p.tenant_id = ? and p.lti_issuer is null and p.email is not null and lower(p.email) = lower(u.email)
         where r.platform_id = ? and r.context_id = ? and r.person_id is null and u.email is not null
         order by p.id, u.sub),
      chosen as (select distinct on (user_id) person_id, user_id, sub from candidate order by user_id, created_at, person_id),
      linked as (
        update person p set lti_issuer = ?, lti_sub = c.sub, updated_at = now() from chosen c where p.id = c.person_id
        returning p.id, c.user_id)
      update course_roster r set person_id = l.id from linked l
       where r.platform_id = ? and r.context_id = ? and r.user_id = l.user_id`, [tenantId, ...course, issuer, ...course])
    // 3. Everyone else: a new person without a school. A concurrent sync's person wins the unique index; the next sync links it.
    await trx.raw(`
      with created as (
        insert into person (tenant_id, name, email, lti_issuer, lti_sub)
        select ?, coalesce(u.name, u.email, u.sub), u.email, ?, u.sub
          from course_roster r join lti_user u on u.id = r.user_id
         where r.platform_id = ? and r.context_id = ? and r.person_id is null
        on conflict (tenant_id, lti_issuer, lti_sub) do nothing
        returning id, lti_sub)
      update course_roster r set person_id = c.id from created c, lti_user u
       where r.platform_id = ? and r.context_id = ? and r.user_id = u.id and u.issuer = ? and u.sub = c.lti_sub`, [tenantId, issuer, ...course, ...course, issuer])
    const linked = (await trx('course_roster').select('user_id', 'person_id')
      .where({ platform_id: platformId, context_id: contextId }).whereIn('user_id', unlinked.map((m) => m.user_id)).whereNotNull('person_id')) as Array<{ user_id: string; person_id: string }>
    const subOf = new Map(unlinked.map((m) => [m.user_id, m.sub]))
    // The key is computed here, with @tln/xapi's `ifiKey`, so it is byte for byte what the reports compute.
    for (let i = 0; i < linked.length; i += 500) {
      const rows = linked.slice(i, i + 500).map((l) => ({ tenant_id: tenantId, ifi_key: ltiIfiKey(issuer, subOf.get(l.user_id)!), person_id: l.person_id }))
      await trx('person_identity').insert(rows).onConflict(['tenant_id', 'ifi_key']).ignore()
    }
    return { classId: cls!.id, linked: linked.length }
  }

  /** A class of the tenant, or undefined (also for another tenant's id and a malformed id). */
  async get(tenantId: string, id: string): Promise<CourseClass | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await this.select().where({ 'c.tenant_id': tenantId, 'c.id': id }).first()) as ClassRow | undefined
    return row === undefined ? undefined : toClass(row)
  }

  /** The class of an LMS course, if its roster was synced. */
  async ofCourse(platformId: string, contextId: string): Promise<CourseClass | undefined> {
    const row = (await this.select().where({ 'c.platform_id': platformId, 'c.context_id': contextId }).first()) as ClassRow | undefined
    return row === undefined ? undefined : toClass(row)
  }

  /** Classes of the tenant where this LTI user is an active Instructor (or every class for `all`). */
  async listFor(tenantId: string, userId: string, all: boolean): Promise<CourseClass[]> {
    const q = this.select().where('c.tenant_id', tenantId).orderBy('c.title')
    if (!all) {
      q.whereExists((s) => s.select(this.knex.raw('1')).from('course_roster as r')
        .whereRaw('r.platform_id = c.platform_id and r.context_id = c.context_id')
        .where({ 'r.user_id': userId, 'r.status': 'active' }).whereIn('r.tln_role', ['facilitator', 'admin']))
    }
    return ((await q) as ClassRow[]).map(toClass)
  }

  /** Is this LTI user an active Instructor (or administrator) of the class's course? */
  async isInstructor(cls: CourseClass, userId: string): Promise<boolean> {
    const row = await this.knex('course_roster').select('user_id')
      .where({ platform_id: cls.platformId, context_id: cls.contextId, user_id: userId, status: 'active' }).whereIn('tln_role', ['facilitator', 'admin']).first()
    return row !== undefined
  }

  /** The members: active first, then by role (facilitators first) and name. */
  async members(cls: CourseClass): Promise<ClassMember[]> {
    const rows = (await this.knex('course_roster as r').join('lti_user as u', 'u.id', 'r.user_id')
      .leftJoin('person as p', 'p.id', 'r.person_id').leftJoin('org_node as s', 's.id', 'p.school_id')
      .select('r.user_id', 'r.person_id', 'r.tln_role', 'r.status', 'u.sub', 'u.email', 's.name as school_name')
      .select(this.knex.raw('coalesce(p.name, u.name, u.email, u.sub) as display_name'))
      .where({ 'r.platform_id': cls.platformId, 'r.context_id': cls.contextId })) as Array<{
      user_id: string; person_id: string | null; tln_role: string; status: 'active' | 'inactive'; sub: string; email: string | null; school_name: string | null; display_name: string
    }>
    const rank = (r: { status: string; tln_role: string }) => (r.status === 'active' ? 0 : 2) + (r.tln_role === 'teacher' ? 1 : 0)
    return rows.sort((a, b) => rank(a) - rank(b) || a.display_name.localeCompare(b.display_name, 'id')).map((r) => ({
      userId: r.user_id, name: r.display_name, role: r.tln_role, status: r.status,
      ...(r.person_id !== null && { personId: r.person_id }), ...(r.email !== null && { email: r.email }), ...(r.school_name !== null && { schoolName: r.school_name }),
    }))
  }

  private select() {
    return this.knex('course_class as c').join('lti_platform as p', 'p.id', 'c.platform_id')
      .leftJoin('course_roster_sync as y', (j) => j.on('y.platform_id', 'c.platform_id').andOn('y.context_id', 'c.context_id'))
      .select('c.*', 'p.issuer', 'y.finished_at as last_sync_at')
  }
}

interface ClassRow { id: string; tenant_id: string; platform_id: string; issuer: string; context_id: string; title: string | null; last_sync_at: Date | null }

function toClass(row: ClassRow): CourseClass {
  return {
    id: row.id, tenantId: row.tenant_id, platformId: row.platform_id, issuer: row.issuer, contextId: row.context_id,
    ...(row.title !== null && { title: row.title }), ...(row.last_sync_at !== null && { lastSyncAt: new Date(row.last_sync_at) }),
  }
}

import express, { type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import { toolErrorHandler } from '../http/error-page.ts'
import type { ToolLogger } from '../logger.ts'
import type { SessionStore } from '../session/session-store.ts'
import { checkMeetingForm } from './meeting-form.ts'
import type { CheckInOutcome, MeetingService } from './meeting-service.ts'
import type { Text } from './page-parts.ts'
import { checkInPage, groupPage, groupsPage, meetingPage, MEETINGS_CSS } from './pages.ts'
import { checkFormToken, formToken, sendPage, signedIn, wrap } from './session-guard.ts'
import { localTimeText, localZoneName } from '../http/local-time.ts'

export interface MeetingRouterDeps {
  readonly service: MeetingService
  readonly sessions: SessionStore
  /** Keys the form tokens. */
  readonly secret: Uint8Array
  readonly logger: ToolLogger
  readonly now: () => number
  /** The deployment's IANA zone (`TLN_TIME_ZONE`): the pages show times on its clock and the form reads its date and time on it. */
  readonly timeZone: string
}

const PROBLEM: Readonly<Record<Exclude<CheckInOutcome, { ok: true }>['problem'], Text>> = {
  'wrong-code': { id: 'Kode salah. Periksa lagi kode di layar fasilitator.', en: 'Wrong code. Check the code on the facilitator’s screen again.' },
  'not-yet': { id: 'Kode ini belum berlaku: isi kehadiran dibuka 1 jam sebelum pertemuan dimulai.', en: 'This code is not valid yet: check-in opens 1 hour before the meeting starts.' },
  closed: { id: 'Kode ini sudah tidak berlaku (lewat 3 jam sesudah pertemuan dimulai). Minta fasilitator menandai kehadiran Anda.', en: 'This code has expired (3 hours after the meeting started). Ask the facilitator to mark your attendance.' },
  throttled: { id: 'Terlalu banyak kode salah. Tunggu 15 menit, lalu coba lagi.', en: 'Too many wrong codes. Wait 15 minutes, then try again.' },
  'not-a-teacher': { id: 'Isi kehadiran dengan kode hanya untuk guru yang terdaftar di sebuah lembaga. Minta fasilitator menandai kehadiran Anda.', en: 'Checking in with a code is for teachers registered at a school. Ask the facilitator to mark your attendance.' },
}
const STATUS: Readonly<Record<Exclude<CheckInOutcome, { ok: true }>['problem'], number>> = {
  'wrong-code': 400, 'not-yet': 400, closed: 400, throttled: 429, 'not-a-teacher': 403,
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/**
 * Meetings, mounted at `/lti/meetings`:
 * - `GET /` the facilitator's TLN groups; `GET|POST /groups/:kecamatan` the group's meetings and
 *   the form to schedule one (`tasks:grade` on the kecamatan);
 * - `GET /:id` a meeting (code during its window, attendance), `POST /:id/attendance` (checked
 *   `person` ids), `POST /:id/attendance/:person/undo`;
 * - `GET|POST /check-in` a teacher's check-in with the code.
 * Every form carries the session's token; a meeting or group out of scope is 404.
 */
export function meetingRouter(deps: MeetingRouterDeps): Router {
  const router = express.Router()
  const { service } = deps
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 1000 })
  /** The zone the form reads, and its name now (WIB, WITA, WIT) for the labels. */
  const clock = () => ({ timeZone: deps.timeZone, zoneName: localZoneName(deps.timeZone, new Date(deps.now())) })

  router.get('/meetings.css', (_req, res) => { res.type('text/css').set('Cache-Control', 'public, max-age=86400').send(MEETINGS_CSS) })

  router.get('/', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const actor = await service.actorOf(s)
    const groups = await service.groupsOf(actor)
    if (groups.length === 0 && actor.person?.schoolId !== undefined) { res.redirect(303, '/lti/meetings/check-in'); return }
    sendPage(res, 200, groupsPage(groups))
  }))

  router.get('/check-in', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    sendPage(res, 200, checkInPage({ csrf: formToken(deps.secret, s), ...(typeof req.query.code === 'string' && { code: req.query.code.slice(0, 12) }) }))
  }))

  router.post('/check-in', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    const typed = str((req.body as Record<string, unknown>).code)
    const outcome = await service.checkIn(await service.actorOf(s), typed, req.ip ?? req.socket.remoteAddress ?? 'unknown')
    const csrf = formToken(deps.secret, s)
    if (!outcome.ok) {
      res.set('X-TLN-Check-In', outcome.problem)
      sendPage(res, STATUS[outcome.problem], checkInPage({ csrf, problem: PROBLEM[outcome.problem], code: typed.slice(0, 12) }))
      return
    }
    const title = `${outcome.meeting.title} (${localTimeText(outcome.meeting.startsAt, deps.timeZone)})`
    res.set('X-TLN-Check-In', outcome.already ? 'already' : 'done')
    sendPage(res, 200, checkInPage({ csrf, notice: outcome.already
      ? { id: `Kehadiran Anda di ${title} sudah tercatat sebelumnya.`, en: `Your attendance at ${title} was recorded already.` }
      : { id: `Terima kasih! Kehadiran Anda di ${title} tercatat.`, en: `Thank you! Your attendance at ${title} is recorded.` } }))
  }))

  router.get('/groups/:id', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const { group, meetings } = await service.list(await service.actorOf(s), String(req.params.id))
    sendPage(res, 200, groupPage({ group, meetings, csrf: formToken(deps.secret, s), ...clock() }))
  }))

  router.post('/groups/:id', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    const actor = await service.actorOf(s)
    const body = req.body as Record<string, unknown>
    const checked = checkMeetingForm(body, { now: deps.now(), ...clock() })
    if (!checked.ok) {
      const { group, meetings } = await service.list(actor, String(req.params.id))
      const values = { kind: str(body.kind), title: str(body.title), date: str(body.date), time: str(body.time), place: str(body.place) }
      res.set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST')
      sendPage(res, 400, groupPage({ group, meetings, csrf: formToken(deps.secret, s), ...clock(), values, errors: checked.errors }))
      return
    }
    const meeting = await service.create(actor, String(req.params.id), checked.value)
    res.redirect(303, `/lti/meetings/${meeting.id}`)
  }))

  router.get('/:id', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const view = await service.view(await service.actorOf(s), String(req.params.id))
    const marked = typeof req.query.marked === 'string' ? Number(req.query.marked) : undefined
    const notice = marked !== undefined && Number.isSafeInteger(marked) ? { id: `${marked} kehadiran disimpan.`, en: `${marked} attendance(s) saved.` }
      : req.query.undone === '1' ? { id: 'Kehadiran dibatalkan.', en: 'Attendance undone.' } : undefined
    sendPage(res, 200, meetingPage({ view, csrf: formToken(deps.secret, s), now: deps.now(), timeZone: deps.timeZone, ...(notice !== undefined && { notice }) }))
  }))

  router.post('/:id/attendance', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    const actor = await service.actorOf(s)
    const raw = (req.body as Record<string, unknown>).person
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((x): x is string => typeof x === 'string')
    if (ids.length === 0) {
      const view = await service.view(actor, String(req.params.id))
      res.set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST')
      sendPage(res, 400, meetingPage({ view, csrf: formToken(deps.secret, s), now: deps.now(), timeZone: deps.timeZone, problem: { id: 'Centang paling sedikit satu guru.', en: 'Tick at least one teacher.' } }))
      return
    }
    try {
      const marked = await service.mark(actor, String(req.params.id), ids)
      res.redirect(303, `/lti/meetings/${String(req.params.id)}?marked=${marked}`)
    } catch (error) {
      if (!(error instanceof LtiToolError) || error.code !== 'ERR_TOOL_BAD_REQUEST') throw error
      const view = await service.view(actor, String(req.params.id))
      res.set('X-TLN-Error', error.code)
      sendPage(res, 400, meetingPage({ view, csrf: formToken(deps.secret, s), now: deps.now(), timeZone: deps.timeZone, problem: { id: 'Hanya guru kelompok TLN ini yang dapat ditandai; tidak ada yang disimpan.', en: 'Only teachers of this TLN group can be marked; nothing was saved.' } }))
    }
  }))

  router.post('/:id/attendance/:person/undo', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    await service.undo(await service.actorOf(s), String(req.params.id), String(req.params.person))
    res.redirect(303, `/lti/meetings/${String(req.params.id)}?undone=1`)
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}

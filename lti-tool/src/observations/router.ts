import express, { type Request, type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import { toolErrorHandler } from '../http/error-page.ts'
import type { ToolLogger } from '../logger.ts'
import type { MeetingService } from '../meetings/meeting-service.ts'
import { checkFormToken, formToken, sendPage, signedIn, wrap, type SignedIn } from '../meetings/session-guard.ts'
import type { SessionStore } from '../session/session-store.ts'
import { checkInstrumentForm } from './instrument-form.ts'
import type { ObservationService } from './observation-service.ts'
import { instrumentFormPage, observationsHome, recordFormPage, recordPage, type RecordValues } from './pages.ts'
import { checkRecordForm } from './record-form.ts'
import type { EvaluationRecord, Instrument } from './types.ts'

export interface ObservationRouterDeps {
  readonly service: ObservationService
  /** For `actorOf` (the session's person and grants). */
  readonly meetings: Pick<MeetingService, 'actorOf'>
  readonly sessions: SessionStore
  readonly secret: Uint8Array
  readonly logger: ToolLogger
  readonly now: () => number
  /** The deployment's IANA zone (`TLN_TIME_ZONE`): an observation may not be dated after today on its calendar. */
  readonly timeZone: string
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

function valuesOf(instrument: Instrument, body: Record<string, unknown>): RecordValues {
  return {
    teacher: str(body.teacher), date: str(body.date), notes: str(body.notes),
    ratings: Object.fromEntries(instrument.indicators.map((x) => [x.code, str(body[`rating.${x.code}`])])),
  }
}

/**
 * Observations and interviews, mounted at `/lti/observations`:
 * - `GET /` instruments and the latest records of the actor's teachers;
 * - `GET /instruments/new`, `POST /instruments` (tenant admin or district admin);
 * - `GET /new?instrument=<id>[&teacher=<person>]`, `POST /records` (monitor, facilitator,
 *   coordinator: `evaluations:record` on the teacher's school);
 * - `GET /records/:id`, `GET|POST /records/:id/correct` (a correction is a new record).
 * Bad input answers 400 with the page and per-field messages (a rating outside the scale names
 * its indicator) and stores nothing; out-of-scope ids are 404.
 */
export function observationRouter(deps: ObservationRouterDeps): Router {
  const router = express.Router()
  const { service } = deps
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 })
  const actorOf = (s: SignedIn) => deps.meetings.actorOf(s)
  const bad = (res: express.Response, body: string) => { res.set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST'); sendPage(res, 400, body) }

  router.get('/', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const actor = await actorOf(s)
    const canRecord = service.canRecord(actor)
    const canDefine = service.canDefine(actor)
    if (!canRecord && !canDefine) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'observations are for monitors, facilitators and administrators')
    const notice = req.query.saved === '1' ? { id: 'Instrumen disimpan.', en: 'Instrument saved.' } : undefined
    sendPage(res, 200, observationsHome({ instruments: await service.instruments(actor), records: canRecord ? await service.recent(actor) : [], canDefine, canRecord, ...(notice !== undefined && { notice }) }))
  }))

  router.get('/instruments/new', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    if (!service.canDefine(await actorOf(s))) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'defining instruments needs an admin or district admin')
    sendPage(res, 200, instrumentFormPage({ csrf: formToken(deps.secret, s) }))
  }))

  router.post('/instruments', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    const actor = await actorOf(s)
    if (!service.canDefine(actor)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'defining instruments needs an admin or district admin')
    const body = req.body as Record<string, unknown>
    const checked = checkInstrumentForm(body, await service.competenceCodes(s.user.tenantId))
    if (!checked.ok) {
      bad(res, instrumentFormPage({ csrf: formToken(deps.secret, s), errors: checked.errors, values: { name: str(body.name), kind: str(body.kind), top: str(body.top), labels: str(body.labels), indicators: str(body.indicators) } }))
      return
    }
    await service.defineInstrument(actor, checked.value)
    res.redirect(303, '/lti/observations?saved=1')
  }))

  router.get('/new', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const actor = await actorOf(s)
    if (!service.canRecord(actor)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'recording evaluations needs a monitor, facilitator or coordinator grant')
    const instrument = await service.instrument(actor, str(req.query.instrument))
    sendPage(res, 200, recordFormPage({ instrument, teachers: await service.teachers(actor), csrf: formToken(deps.secret, s), action: '/lti/observations/records', values: { teacher: str(req.query.teacher) } }))
  }))

  /** Check and store a record (new, or the correction of `supersedes`). */
  async function fill(req: Request, res: express.Response, s: SignedIn, instrument: Instrument, action: string, supersedes?: EvaluationRecord) {
    const actor = await actorOf(s)
    const body = req.body as Record<string, unknown>
    const checked = checkRecordForm(instrument, supersedes !== undefined ? { ...body, teacher: supersedes.teacherPersonId } : body, { now: deps.now(), timeZone: deps.timeZone })
    if (!checked.ok) {
      bad(res, recordFormPage({ instrument, teachers: await service.teachers(actor), csrf: formToken(deps.secret, s), action, values: valuesOf(instrument, body), errors: checked.errors, ...(supersedes !== undefined && { correcting: supersedes }) }))
      return
    }
    const id = await service.fill(actor, instrument, checked.value, supersedes)
    res.redirect(303, `/lti/observations/records/${id}?saved=1`)
  }

  router.post('/records', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    const actor = await actorOf(s)
    if (!service.canRecord(actor)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'recording evaluations needs a monitor, facilitator or coordinator grant')
    const instrument = await service.instrument(actor, str((req.body as Record<string, unknown>).instrument))
    await fill(req, res, s, instrument, '/lti/observations/records')
  }))

  router.get('/records/:id', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const { record, instrument } = await service.record(await actorOf(s), String(req.params.id))
    sendPage(res, 200, recordPage({ record, instrument, ...(req.query.saved === '1' && { notice: { id: 'Tersimpan.', en: 'Saved.' } }) }))
  }))

  router.get('/records/:id/correct', wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    const actor = await actorOf(s)
    const { record, instrument } = await service.record(actor, String(req.params.id))
    if (record.superseded) throw new LtiToolError('ERR_TOOL_CONFLICT', 'this record was corrected already')
    const values: RecordValues = { teacher: record.teacherPersonId, date: record.observedOn, notes: record.notes, ratings: Object.fromEntries(Object.entries(record.ratings).map(([k, v]) => [k, String(v)])) }
    sendPage(res, 200, recordFormPage({ instrument, teachers: [], csrf: formToken(deps.secret, s), action: `/lti/observations/records/${record.id}/correct`, values, correcting: record }))
  }))

  router.post('/records/:id/correct', form, wrap(async (req, res) => {
    const s = await signedIn(deps.sessions, req)
    checkFormToken(deps.secret, s, req.body)
    const { record, instrument } = await service.record(await actorOf(s), String(req.params.id))
    if (record.superseded) throw new LtiToolError('ERR_TOOL_CONFLICT', 'this record was corrected already')
    await fill(req, res, s, instrument, `/lti/observations/records/${record.id}/correct`, record)
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}

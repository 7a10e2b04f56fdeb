import express, { type Router } from 'express'
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '@tln/xapi'
import type { CredentialStore } from '../credentials/credential-store.ts'
import { LrsError } from '../errors.ts'
import type { ForwardTarget, ForwardTargetStore, NewForwardTarget } from '../forwarding/forward-target-store.ts'
import { retryDeadLetters } from '../forwarding/forwarder.ts'
import type { FetchLike } from '../forwarding/remote-lrs.ts'
import { authenticate } from './authenticate.ts'
import { errorHandler, type ErrorLogger } from './error-handler.ts'

export interface ForwardingRouterOptions {
  targets: ForwardTargetStore
  credentials: CredentialStore
  logger: ErrorLogger
  fetch?: FetchLike
}

/**
 * The admin API of statement forwarding, for a credential with scope `all`, over its own
 * tenant's targets. Secrets go in (POST) and never come out.
 *
 * - `GET /` — the targets, with cursor, counts and last error
 * - `POST /` — add one: `{ name, endpoint, key, secret, xapiVersion?, verbs?, activityPrefix?, enabled?, from? }`
 * - `PATCH /:name` — `{ enabled }`
 * - `DELETE /:name` — remove it (and its dead letters)
 * - `GET /:name/dead-letters` — statements the remote refused, with its answer
 * - `POST /:name/dead-letters/retry` — send them again
 */
export function forwardingRouter(options: ForwardingRouterOptions): Router {
  const router = express.Router()
  // Nested past MAX_JSON_DEPTH: a 400 before parsing (body-parser keeps a verify error's own status).
  const verify = (_req: unknown, _res: unknown, body: Buffer) => {
    if (jsonNestsDeeperThan(body.toString('utf8'))) {
      throw Object.assign(new LrsError('ERR_LRS_BAD_REQUEST', `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} deep (rule max-depth)`, '$'), { status: 400 })
    }
  }
  router.use(express.json({ limit: '64kb', verify }))
  router.use(async (req, res, next) => {
    const credential = await authenticate(req.get('authorization'), options.credentials, req.ip)
    if (!credential.scopes.includes('all')) throw new LrsError('ERR_LRS_FORBIDDEN', 'the forwarding admin API needs a credential with scope all', 'Authorization')
    res.locals.tenantId = credential.tenantId
    // The bodies it takes (POST a target, PATCH enabled) are JSON: another media type left the body
    // empty and the answer named a missing field instead of the Content-Type (RFC 9110 §15.5.16).
    const takesBody = (req.method === 'POST' && req.path === '/') || req.method === 'PATCH'
    if (takesBody && req.is('application/json') !== 'application/json') {
      throw new LrsError('ERR_LRS_UNSUPPORTED_MEDIA_TYPE', `this API takes a JSON body (Content-Type: application/json), got ${req.get('content-type') ?? 'none'}`, 'Content-Type')
    }
    next()
  })
  const tenant = (res: express.Response): string => res.locals.tenantId as string
  const named = async (res: express.Response, name: string): Promise<ForwardTarget> => {
    const target = await options.targets.find(tenant(res), name)
    if (target === undefined) throw new LrsError('ERR_LRS_NOT_FOUND', `no forwarding target named ${name}`, 'name')
    return target
  }

  router.get('/', async (_req, res) => {
    res.json((await options.targets.list(tenant(res))).map(publicView))
  })
  router.post('/', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    for (const field of ['name', 'endpoint', 'key', 'secret'] as const) {
      if (typeof body[field] !== 'string') throw new LrsError('ERR_LRS_BAD_REQUEST', `${field} is required (a string)`, field)
    }
    if (body.verbs !== undefined && (!Array.isArray(body.verbs) || body.verbs.some((v) => typeof v !== 'string'))) throw new LrsError('ERR_LRS_BAD_REQUEST', 'verbs must be an array of IRIs', 'verbs')
    if (body.from !== undefined && body.from !== 'beginning' && body.from !== 'now') throw new LrsError('ERR_LRS_BAD_REQUEST', 'from must be beginning or now', 'from')
    const target = await options.targets.add(tenant(res), body as unknown as NewForwardTarget)
    res.status(201).json(publicView(target))
  })
  router.patch('/:name', async (req, res) => {
    const enabled = (req.body as { enabled?: unknown } | undefined)?.enabled
    if (typeof enabled !== 'boolean') throw new LrsError('ERR_LRS_BAD_REQUEST', 'enabled must be true or false', 'enabled')
    await named(res, req.params.name!)
    await options.targets.setEnabled(tenant(res), req.params.name!, enabled)
    res.json(publicView((await options.targets.find(tenant(res), req.params.name!))!))
  })
  router.delete('/:name', async (req, res) => {
    if (!(await options.targets.remove(tenant(res), req.params.name!))) throw new LrsError('ERR_LRS_NOT_FOUND', `no forwarding target named ${req.params.name}`, 'name')
    res.status(204).end()
  })
  router.get('/:name/dead-letters', async (req, res) => {
    const target = await named(res, req.params.name!)
    res.json(await options.targets.deadLetters(target.id))
  })
  router.post('/:name/dead-letters/retry', async (req, res) => {
    const target = await options.targets.withSecret(tenant(res), req.params.name!)
    res.json(await retryDeadLetters(options.targets, target, options.fetch))
  })
  router.use(errorHandler(options.logger))
  return router
}

/** A target as the API shows it: everything but the secret, and the cursor as numbers. */
export function publicView(target: ForwardTarget): Record<string, unknown> {
  const { id: _id, tenantId: _tenant, ...rest } = target
  return rest
}

import { forwardTargetView, retryDeadLetters, type FetchLike, type ForwardTargetStore, type NewForwardTarget } from '@tln/lrs'
import { ServerError } from '../errors.ts'
import type { Output } from './output.ts'

export interface AddTargetOptions {
  name: string
  endpoint: string
  key: string
  secret: string
  xapiVersion?: string
  verb?: string[]
  activityPrefix?: string
  from?: string
  disabled?: boolean
}

/** `tln forward add`: configures a remote LRS; the secret is stored sealed and never printed. */
export async function addTarget(targets: ForwardTargetStore, tenantId: string, options: AddTargetOptions, output: Output): Promise<void> {
  if (options.from !== undefined && options.from !== 'beginning' && options.from !== 'now') throw new ServerError('ERR_USAGE', '--from must be beginning or now', '--from')
  const input: NewForwardTarget = {
    name: options.name,
    endpoint: options.endpoint,
    key: options.key,
    secret: options.secret,
    enabled: options.disabled !== true,
    ...(options.xapiVersion !== undefined ? { xapiVersion: options.xapiVersion } : {}),
    ...(options.verb !== undefined ? { verbs: options.verb } : {}),
    ...(options.activityPrefix !== undefined ? { activityPrefix: options.activityPrefix } : {}),
    ...(options.from !== undefined ? { from: options.from as 'beginning' | 'now' } : {}),
  }
  const target = await targets.add(tenantId, input)
  output.out(`forwarding target ${target.name} added: ${target.endpoint} (xAPI ${target.xapiVersion}, ${target.enabled ? 'enabled' : 'disabled'}); running servers pick it up within seconds`)
}

/** `tln forward list`: targets with progress and last error (never secrets). */
export async function listTargets(targets: ForwardTargetStore, tenantId: string, options: { json?: boolean }, output: Output): Promise<void> {
  const rows = await targets.list(tenantId)
  if (options.json === true) {
    output.out(JSON.stringify(rows.map(forwardTargetView)))
    return
  }
  if (rows.length === 0) {
    output.err('No forwarding targets. Add one with: tln forward add --name NAME --endpoint URL --key KEY --secret SECRET')
    return
  }
  for (const t of rows) {
    output.out(
      [
        `${t.name}  ${t.enabled ? 'enabled' : 'disabled'}  ${t.endpoint}  xAPI ${t.xapiVersion}`,
        `  forwarded: ${t.forwarded}  dead letters: ${t.deadLetters}  last success: ${t.lastSuccessAt?.toISOString() ?? 'never'}`,
        ...(t.verbs.length > 0 ? [`  verbs: ${t.verbs.join(', ')}`] : []),
        ...(t.activityPrefix !== null ? [`  activity prefix: ${t.activityPrefix}`] : []),
        ...(t.lastError !== null ? [`  last error: ${t.lastError}`] : []),
      ].join('\n'),
    )
  }
}

/** `tln forward remove NAME`. */
export async function removeTarget(targets: ForwardTargetStore, tenantId: string, name: string, output: Output): Promise<void> {
  if (!(await targets.remove(tenantId, name))) throw new ServerError('ERR_NOT_FOUND', `no forwarding target named ${name}`, name)
  output.out(`forwarding target ${name} removed`)
}

/** `tln forward dead-letters NAME`: statements the remote refused, with its answer. */
export async function listDeadLetters(targets: ForwardTargetStore, tenantId: string, name: string, options: { json?: boolean }, output: Output): Promise<void> {
  const target = await targets.find(tenantId, name)
  if (target === undefined) throw new ServerError('ERR_NOT_FOUND', `no forwarding target named ${name}`, name)
  const letters = await targets.deadLetters(target.id)
  if (options.json === true) {
    output.out(JSON.stringify(letters))
    return
  }
  if (letters.length === 0) output.err(`no dead letters for ${name}`)
  for (const l of letters) output.out(`${l.statementId}  ${l.createdAt.toISOString()}  ${l.error}`)
}

/** `tln forward retry NAME`: sends the dead letters again. */
export async function retryTarget(targets: ForwardTargetStore, tenantId: string, name: string, output: Output, fetch?: FetchLike): Promise<void> {
  const target = await targets.withSecret(tenantId, name)
  const { sent, failed } = await retryDeadLetters(targets, target, fetch)
  output.out(`${sent} dead letters accepted by the remote now, ${failed} still refused`)
}

import { ifiKey, validateAgentParameter, type Agent } from '@tln/xapi'
import { ServerError } from './errors.ts'

/** Parses `--agent` (an Agent as JSON, like the xAPI `agent` parameter, Communication 2.1.3) to its IFI key. */
export function agentKeyOf(text: string): string {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ServerError('ERR_USAGE', `--agent must be a JSON Agent such as '{"mbox":"mailto:siti@paud.example"}': ${(error as Error).message}`, '--agent')
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ServerError('ERR_USAGE', '--agent must be a JSON object (an Agent)', '--agent')
  let agent: Agent
  try {
    agent = validateAgentParameter({ objectType: 'Agent', ...(json as object) }, { version: '2.0.0' }) as Agent
  } catch (error) {
    throw new ServerError('ERR_USAGE', `--agent is not a valid Agent: ${(error as Error).message}`, '--agent')
  }
  const key = ifiKey(agent)
  if (key === undefined) throw new ServerError('ERR_USAGE', '--agent needs an identifier: mbox, mbox_sha1sum, openid or account', '--agent')
  return key
}

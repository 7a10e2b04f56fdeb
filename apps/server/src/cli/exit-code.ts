import { CommanderError } from 'commander'
import { LrsError } from '@tln/lrs'
import { LtiToolError } from '@tln/lti-tool'
import { ServerError } from '../errors.ts'

/** Exit codes of `tln`, kept stable because scripts depend on them. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const

/**
 * The one mapping from errors to exit codes: 2 for what the caller can fix by changing the
 * command or the environment (usage, validation, configuration), 1 for everything else.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // `commander.help` is help shown because a command was missing: a usage error, unlike an asked-for --help.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage
  }
  if (error instanceof ServerError) return error.code === 'ERR_USAGE' || error.code === 'ERR_CONFIG_INVALID' ? EXIT.usage : EXIT.failure
  if (error instanceof LrsError) return error.code === 'ERR_LRS_BAD_REQUEST' || error.code === 'ERR_LRS_CONFLICT' ? EXIT.usage : EXIT.failure
  if (error instanceof LtiToolError) return error.code === 'ERR_TOOL_BAD_REQUEST' || error.code === 'ERR_TOOL_CONFLICT' ? EXIT.usage : EXIT.failure
  return EXIT.failure
}

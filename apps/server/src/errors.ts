/**
 * Errors of the server app, with stable codes (STYLE.md rule 1). The CLI maps them to exit
 * codes in one place (`cli/exit-code.ts`).
 */
export type ServerErrorCode =
  /** An environment variable has a value the server cannot use. */
  | 'ERR_CONFIG_INVALID'
  /** A command-line argument or option is missing or wrong. */
  | 'ERR_USAGE'
  /** The thing a command names does not exist (e.g. revoking an unknown key). */
  | 'ERR_NOT_FOUND'
  /** Another live process has the embedded data directory open. */
  | 'ERR_DATA_DIR_LOCKED'

export class ServerError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
    /** The variable or option at fault, e.g. `PORT` or `--scopes`. */
    readonly subject?: string,
  ) {
    super(message)
    this.name = 'ServerError'
  }
}

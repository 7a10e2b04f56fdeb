import { LtiToolError } from '../../errors.ts'

/**
 * A bad report request parameter: 400 with the field and the rule it broke (ARCHITECTURE.md,
 * "Bad input gets a clear error and changes nothing"). The message is safe to show.
 */
export class ReportInputError extends LtiToolError {
  constructor(readonly field: string, readonly rule: string, message: string) {
    super('ERR_TOOL_BAD_REQUEST', message, { field, rule })
    this.name = 'ReportInputError'
  }
}

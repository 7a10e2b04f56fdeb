import { LtiToolError } from '@tln/lti-tool'
import { describe, expect, it } from 'vitest'
import { EXIT, exitCodeOf } from '../src/cli/exit-code.ts'

describe('tln exit codes (the one error → exit code mapping)', () => {
  it('a tool error the operator can fix (a bad value, a name that exists already) exits 2', () => {
    expect(exitCodeOf(new LtiToolError('ERR_TOOL_BAD_REQUEST', 'bad'))).toBe(EXIT.usage)
    expect(exitCodeOf(new LtiToolError('ERR_TOOL_CONFLICT', 'exists already'))).toBe(EXIT.usage)
  })

  it('any other tool error, an unknown name among them, exits 1', () => {
    expect(exitCodeOf(new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such passback'))).toBe(EXIT.failure)
    expect(exitCodeOf(new LtiToolError('ERR_TOOL_FORBIDDEN', 'no'))).toBe(EXIT.failure)
  })
})

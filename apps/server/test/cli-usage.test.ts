import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/program.ts'
import type { Output } from '../src/cli/output.ts'

function capture(): Output & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => {
      io.stdout += text
    },
    err: (text: string) => {
      io.stderr += text
    },
  }
  return io
}

// These cases fail before any database is opened, so they need none.
describe('tln command line', () => {
  it('exits 2 with a clear message for unknown scopes', async () => {
    const io = capture()
    expect(await runCli(['credentials', 'create', '--scopes', 'all,statements/delete'], { output: io, env: {} })).toBe(2)
    expect(io.stderr).toContain('--scopes must be a comma-separated list of')
    expect(io.stderr).toContain('unknown: statements/delete')
  })

  it('exits 2 when --scopes is missing', async () => {
    const io = capture()
    expect(await runCli(['credentials', 'create', '--key', 'k1'], { output: io, env: {} })).toBe(2)
    expect(io.stderr).toContain('--scopes')
  })

  it('exits 2 for an unknown command', async () => {
    const io = capture()
    expect(await runCli(['frobnicate'], { output: io, env: {} })).toBe(2)
    expect(io.stderr).toContain("unknown command 'frobnicate'")
  })

  it('exits 2 when no command is given', async () => {
    expect(await runCli([], { output: capture(), env: {} })).toBe(2)
  })

  it('exits 2 for an invalid configuration, naming the variable', async () => {
    const io = capture()
    expect(await runCli(['migrate'], { output: io, env: { PORT: 'eighty' } })).toBe(2)
    expect(io.stderr).toContain('PORT must be a whole number')
  })

  it('exits 0 for --help', async () => {
    const io = capture()
    expect(await runCli(['--help'], { output: io, env: {} })).toBe(0)
    expect(io.stdout).toContain('credentials')
  })
})

/**
 * The `tln` command: `pnpm tln <command>` runs this file under tsx. See `cli/program.ts` for the
 * commands and README.md for the operator interface.
 */
import { processOutput } from './cli/output.ts'
import { runCli } from './cli/program.ts'

const code = await runCli(process.argv.slice(2), { output: processOutput })
// Exit explicitly: a database driver or a stray timer must not keep a finished command alive.
process.exit(code)

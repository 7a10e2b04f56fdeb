import { pino } from 'pino'
import { Command, CommanderError, Option } from 'commander'
import { migrateToLatest } from '@tln/db'
import { loadConfig, type Config, type Env } from '../config.ts'
import { createLogger, type Logger } from '../logger.ts'
import { registerAuditCommands } from './audit-commands.ts'
import { registerBadgeCommands } from './badge-commands.ts'
import { registerCompetenceCommands } from './competence-commands.ts'
import { createCredential, listCredentials, parseScopes, revokeCredential } from './credential-commands.ts'
import { exitCodeOf, EXIT } from './exit-code.ts'
import { registerLtiCommands } from './lti-commands.ts'
import { registerLtiServiceCommands } from './lti-service-commands.ts'
import { registerExchangeCommands } from './exchange-commands.ts'
import { registerOrgCommands } from './org-commands.ts'
import { registerPrivacyCommands } from './privacy-commands.ts'
import type { Output } from './output.ts'
import { seedDemoCommand } from './seed-command.ts'
import { serveCommand } from './serve-command.ts'
import { withLrs } from './with-lrs.ts'

export interface CliOptions {
  output: Output
  /** The environment the configuration is read from; `process.env` when absent. */
  env?: Env
}

/**
 * Runs `tln` with `args` (without `node` and the script). The command-line interface is part of
 * the operator interface that scripts depend on (issue 2): commands, options and exit codes stay
 * stable. Exit codes: 0 ok, 2 usage or validation error, 1 anything else.
 */
export async function runCli(args: readonly string[], options: CliOptions): Promise<number> {
  const { output } = options
  let code: number = EXIT.ok
  const config = (): Config => loadConfig(options.env)
  // One-off commands log to stderr, so that stdout carries only their results.
  const stderrLogger = (c: Config): Logger => createLogger(c.logLevel === 'info' ? 'warn' : c.logLevel, pino.destination(2))

  const program = new Command('tln')
    .description('TLN: xAPI Learning Record Store and LTI 1.3 toolkit for PAUD teacher-training networks')
    .exitOverride()
    .showHelpAfterError('(run tln --help for usage)')
    .configureOutput({ writeOut: output.out, writeErr: output.err })

  program
    .command('serve')
    .description('start the server (migrates the database first); stops gracefully on SIGTERM/SIGINT')
    .option('--demo', 'seed the demo data and the demo credential, and print how to use them')
    .action(async (opts: { demo?: boolean }) => {
      const c = config()
      code = await serveCommand(c, opts, createLogger(c.logLevel), output)
    })

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const c = config()
      await withLrs(c, stderrLogger(c), async ({ db, migrated }) => {
        const more = await migrateToLatest(db.knex)
        const ran = [...migrated, ...more]
        output.out(ran.length === 0 ? 'schema up to date' : `applied: ${ran.join(', ')}`)
      })
    })

  const credentials = program.command('credentials').description('manage the LRS\'s HTTP Basic credentials')
  credentials
    .command('create')
    .description('create a credential (no prompts); generates key and secret when not given and prints them')
    .addOption(new Option('--scopes <list>', 'comma-separated xAPI scopes: all, all/read, statements/write, statements/read, statements/read/mine, define, state, profile').makeOptionMandatory())
    .option('--key <key>', 'the key (username); generated when absent')
    .option('--secret <secret>', 'the secret (password, at least 8 characters); generated when absent')
    .option('--tenant <slug>', 'the tenant that owns the credential', 'default')
    .option('--label <label>', 'a note for people, e.g. who uses it')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: { scopes: string; key?: string; secret?: string; tenant?: string; label?: string; json?: boolean }) => {
      parseScopes(opts.scopes)
      const c = config()
      await withLrs(c, stderrLogger(c), ({ lrs }) => createCredential(lrs.credentials, opts, output))
    })
  credentials
    .command('list')
    .description('list active credentials (never their secrets)')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const c = config()
      await withLrs(c, stderrLogger(c), ({ lrs }) => listCredentials(lrs.credentials, opts, output))
    })
  credentials
    .command('revoke')
    .description('revoke a credential; every running server refuses it from its next request')
    .argument('<key>', 'the key to revoke')
    .action(async (key: string) => {
      const c = config()
      await withLrs(c, stderrLogger(c), ({ lrs }) => revokeCredential(lrs.credentials, key, output))
    })

  program
    .command('seed')
    .description('load data')
    .command('demo')
    .description('store the demo statements (Lombok Tengah, 60 teachers, February–July 2026); safe to run again')
    .option('--force', 'send every statement even when the demo data is in place (stores nothing new)')
    .action(async (opts: { force?: boolean }) => {
      const c = config()
      await withLrs(c, stderrLogger(c), ({ db, lrs }) => seedDemoCommand(lrs, opts, output, db.knex))
    })

  registerExchangeCommands(program, { config, logger: stderrLogger, output, setCode: (c) => (code = c) })
  registerLtiCommands(program, { config, logger: stderrLogger, output })
  registerLtiServiceCommands(program, { config, logger: stderrLogger, output })
  registerOrgCommands(program, { config, logger: stderrLogger, output, setCode: (c) => (code = c) })
  registerCompetenceCommands(program, { config, logger: stderrLogger, output })
  registerAuditCommands(program, { config, logger: stderrLogger, output })
  registerBadgeCommands(program, { config, logger: stderrLogger, output })
  registerPrivacyCommands(program, { config, logger: stderrLogger, output })

  try {
    await program.parseAsync([...args], { from: 'user' })
    return code
  } catch (error) {
    const exit = exitCodeOf(error)
    // commander has printed its own message already.
    if (!(error instanceof CommanderError)) output.err(`tln: ${(error as Error).message}`)
    if (exit === EXIT.failure && !(error instanceof CommanderError) && (error as { code?: string }).code === undefined) {
      output.err(String((error as Error).stack ?? error))
    }
    return exit
  }
}

import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { startServer, type RunningServer } from '../main.ts'
import { DEMO_CREDENTIAL } from '../seed/demo-credential.ts'
import type { Output } from './output.ts'

/**
 * `tln serve [--demo]`: runs until SIGTERM or SIGINT, then shuts down gracefully: stops
 * accepting, finishes requests in flight (cut after `TLN_SHUTDOWN_TIMEOUT_MS`), closes the
 * database. A second signal while stopping exits at once with 130, for an impatient Ctrl-C.
 * @returns the exit code: 0 after a graceful stop
 */
export async function serveCommand(config: Config, options: { demo?: boolean }, logger: Logger, output: Output): Promise<number> {
  // Listen for signals before starting, so one that arrives during migrations still stops us cleanly.
  let received: ((signal: NodeJS.Signals) => void) | undefined
  let stopping = false
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    received = resolve
  })
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while stopping: exiting now')
      process.exit(130)
    }
    stopping = true
    received?.(signal)
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    const running = await startServer(config, { logger, demo: options.demo === true })
    if (options.demo === true) output.out(demoBanner(running))
    const signal = await signalled
    // Stop first: the listening socket closes synchronously inside stop(), so once this line is
    // logged a new connection is refused (never accepted and then reset).
    const stopped = running.stop()
    logger.info({ signal }, 'shutting down: finishing requests in flight')
    const { forced } = await stopped
    logger.info({ forced }, forced ? 'stopped; connections still open at the timeout were cut' : 'stopped')
    return 0
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}

/** What `--demo` prints once the server is up: the endpoint, the demo credential, a curl to paste. */
export function demoBanner(running: Pick<RunningServer, 'lrsEndpoint' | 'demoCredential' | 'demoLmsUrl'>): string {
  const { key, secret } = DEMO_CREDENTIAL
  const lines = ['', 'TLN siap dengan data demo / TLN is ready with demo data', `  LRS endpoint:  ${running.lrsEndpoint}`]
  if (running.demoLmsUrl !== undefined) lines.push(`  Demo LMS:      ${running.demoLmsUrl}  (coba sebagai guru atau fasilitator / try TLN as a teacher or facilitator)`)
  if (running.demoCredential === 'taken') {
    lines.push(`  The key "${key}" exists with another secret or was revoked, so it was left alone.`)
    lines.push('  Make a credential with: pnpm tln credentials create --scopes all')
  } else {
    lines.push(
      `  Demo key:      ${key}`,
      `  Demo secret:   ${secret}`,
      '  Try / Coba:',
      `    curl -u ${key}:${secret} -H 'X-Experience-API-Version: 1.0.3' '${running.lrsEndpoint}statements?limit=2'`,
      `  The demo secret is public: do not expose this server (pnpm tln credentials revoke ${key}).`,
    )
  }
  return `${lines.join('\n')}\n`
}

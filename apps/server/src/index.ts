/**
 * @tln/server: the one deployable. Its public API is for tests and for embedding the server in
 * another process; operators use the `tln` CLI.
 */
export { createApp, type AppOptions } from './app.ts'
export { loadConfig, resolvePublicUrl, describeDatabase, type Config, type DatabaseConfig, type Env, type LogLevel } from './config.ts'
export { ServerError, type ServerErrorCode } from './errors.ts'
export { createLogger, redactUrl, type Logger } from './logger.ts'
export { startServer, type RunningServer, type StartOptions } from './main.ts'
export { runCli } from './cli/program.ts'
export { seedDemo, DEMO_SEED_CREDENTIAL, type SeedResult } from './seed/demo.ts'
export { DEMO_CREDENTIAL, ensureDemoCredential } from './seed/demo-credential.ts'

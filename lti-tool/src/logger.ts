/** The logger the tool takes (pino's shape); the app decides where it goes (STYLE.md rule 10). */
export interface ToolLogger {
  debug(object: object, message: string): void
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

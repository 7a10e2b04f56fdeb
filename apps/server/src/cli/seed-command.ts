import type { CredentialStore, StatementService } from '@tln/lrs'
import { seedDemo } from '../seed/demo.ts'
import type { Output } from './output.ts'

/** `tln seed demo`: stores the demo statements of the TLN paper (idempotent). */
export async function seedDemoCommand(lrs: { statements: StatementService; credentials: CredentialStore }, options: { force?: boolean }, output: Output): Promise<void> {
  const started = Date.now()
  const result = await seedDemo(lrs, { ...(options.force === true ? { force: true } : {}) })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  output.out(
    result.alreadySeeded
      ? `demo data already in place (${result.statements} statements); nothing sent. Use --force to send it again.`
      : `demo data stored: ${result.statements} statements in ${seconds} s (statements already present were left as they were)`,
  )
}

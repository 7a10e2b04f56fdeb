import type { CredentialStore, StatementService } from '@tln/lrs'
import type { Knex } from '@tln/db'
import { seedDemo } from '../seed/demo.ts'
import { seedDemoOrg } from '../seed/demo-org.ts'
import type { Output } from './output.ts'

/** `tln seed demo`: stores the demo statements of the TLN paper and, given `knex`, its organisation tree (idempotent). */
export async function seedDemoCommand(lrs: { statements: StatementService; credentials: CredentialStore }, options: { force?: boolean }, output: Output, knex?: Knex): Promise<void> {
  const started = Date.now()
  if (knex !== undefined) {
    const org = await seedDemoOrg(knex)
    output.out(`demo organisation in place: ${org.kecamatan} kecamatan, ${org.schools} schools, ${org.teachers} teachers, ${org.facilitators} facilitators`)
  }
  const result = await seedDemo(lrs, { ...(options.force === true ? { force: true } : {}) })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  output.out(
    result.alreadySeeded
      ? `demo data already in place (${result.statements} statements); nothing sent. Use --force to send it again.`
      : `demo data stored: ${result.statements} statements in ${seconds} s (statements already present were left as they were)`,
  )
}

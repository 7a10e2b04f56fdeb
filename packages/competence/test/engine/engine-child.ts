/**
 * A separate process running the engine against a PostgreSQL database (argv[2] = URL), for the
 * SIGKILL test: it applies small pages until killed.
 */
import { createDb } from '@tln/db'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'

const url = process.argv[2]
if (url === undefined) throw new TypeError('usage: engine-child.ts POSTGRES_URL')
const db = await createDb({ engine: 'postgres', url, poolMax: 2 })
const engine = new CompetenceEngine({ knex: db.knex, pageSize: 25 })
process.stdout.write('ready\n')
await engine.catchUp()
await db.close()

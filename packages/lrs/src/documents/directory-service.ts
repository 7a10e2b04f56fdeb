import type { Knex } from '@tln/db'
import type { Activity, Agent } from '@tln/xapi'
import { ActivityStore } from './activity-store.ts'
import { personOf, type Person } from './person.ts'
import { PersonStore } from './person-store.ts'

/**
 * What the LRS knows about Agents and Activities: the Agents resource ("a special Object with
 * combined information about an Agent derived from an outside service, such as a directory
 * service", xAPI 1.0.3 Communication 2.4) and the Activities resource (2.5).
 */
export class DirectoryService {
  readonly activityStore = new ActivityStore()
  private readonly persons = new PersonStore()

  constructor(private readonly knex: Knex) {}

  /** The Person object for an Agent; only what the agent itself says when the LRS knows nothing more. */
  async person(tenantId: string, agent: Agent): Promise<Person> {
    return personOf(agent, await this.persons.knownNames(this.knex, tenantId, agent))
  }

  /**
   * The Activity with its canonical definition. "If an LRS does not have a canonical definition
   * of the Activity to return, the LRS SHOULD* still return an Activity Object when queried"
   * (Communication 2.5.s2.b1; MUST in xAPI 2.0): then it is `{ objectType, id }`.
   */
  async activity(tenantId: string, activityId: string): Promise<Activity> {
    const definition = (await this.activityStore.find(this.knex, tenantId, [activityId])).get(activityId)
    return { objectType: 'Activity', id: activityId, ...(definition !== undefined ? { definition } : {}) }
  }
}

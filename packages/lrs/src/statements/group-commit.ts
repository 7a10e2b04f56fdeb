import type { LrsError } from '../errors.ts'
import type { PreparedStatement } from './statement-store.ts'

/** One single-statement request waiting to be stored with others. */
export interface GroupedWrite {
  tenantId: string
  credentialId: string
  /** The credential may define Activities (`mayDefine`): a new statement updates canonical definitions. */
  mayDefine: boolean
  prepared: PreparedStatement
}

/** What became of each write of a group, in group order: new, stored before unchanged, or its own error. */
export type GroupOutcome = 'fresh' | 'repeated' | LrsError

type Waiting = GroupedWrite & { resolve: (fresh: boolean) => void; reject: (error: unknown) => void }

export interface GroupCommitOptions {
  /** Stores one group (one tenant, no id twice) and tells each write's outcome. */
  store: (tenantId: string, writes: readonly GroupedWrite[]) => Promise<GroupOutcome[]>
  /** Most writes per group. */
  maxGroup: number
  /** Groups at the database at the same time. */
  maxInFlight: number
}

/**
 * Group commit for single-statement POST/PUT (issue 7): concurrent requests that each store one
 * self-contained statement share one INSERT, one commit and one flush of the write-ahead log,
 * instead of paying them each. There is no timer: a write goes to the database at once when
 * fewer than `maxInFlight` groups are there; otherwise it waits for the next group, which leaves
 * as soon as one returns. So a lone request waits for nothing, and under load the groups grow
 * with the load.
 *
 * Each request is still answered only after the commit that stored its statement (nothing
 * acknowledged is lost), and gets its own outcome: a conflict with a stored statement fails
 * only that request, whose statement was not stored; a database error fails every request of
 * the group, none of which was acknowledged.
 */
export class GroupCommit {
  private waiting: Waiting[] = []
  private inFlight = 0

  constructor(private readonly options: GroupCommitOptions) {}

  /** Stores one statement with whichever others are waiting; true when it was new. */
  write(write: GroupedWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...write, resolve, reject })
      this.dispatch()
    })
  }

  private dispatch(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.nextGroup()
      this.inFlight++
      void this.run(group).finally(() => {
        this.inFlight--
        this.dispatch()
      })
    }
  }

  /** The oldest waiting writes of the first waiting tenant, without a statement id twice (one INSERT cannot hold an id twice). */
  private nextGroup(): Waiting[] {
    const tenantId = this.waiting[0]!.tenantId
    const ids = new Set<string>()
    const group: Waiting[] = []
    const rest: Waiting[] = []
    for (const write of this.waiting) {
      if (group.length < this.options.maxGroup && write.tenantId === tenantId && !ids.has(write.prepared.id)) {
        ids.add(write.prepared.id)
        group.push(write)
      } else {
        rest.push(write)
      }
    }
    this.waiting = rest
    return group
  }

  private async run(group: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.options.store(group[0]!.tenantId, group)
      group.forEach((write, i) => {
        const outcome = outcomes[i]
        if (outcome === 'fresh' || outcome === 'repeated') write.resolve(outcome === 'fresh')
        else write.reject(outcome)
      })
    } catch (error) {
      for (const write of group) write.reject(error)
    }
  }
}

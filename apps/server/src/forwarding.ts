import { hostname } from 'node:os'
import { Forwarder, type Lrs } from '@tln/lrs'
import type { Logger } from './logger.ts'

/**
 * Starts statement forwarding in this server process. Every process runs a forwarder; the lease
 * of each target in the database lets only one of them forward to it at a time.
 */
export function startForwarding(lrs: Lrs, logger: Logger): Forwarder {
  const forwarder = new Forwarder({
    store: lrs.forwarding,
    stream: lrs.stream,
    logger: logger.child({ component: 'forwarder' }),
    owner: `${hostname()}:${process.pid}`,
  })
  forwarder.start()
  return forwarder
}

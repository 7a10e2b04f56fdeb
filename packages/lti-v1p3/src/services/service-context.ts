import type { Clock, FetchLike } from '../fetch-like.ts'
import type { Platform } from '../platform.ts'
import type { AccessTokenCache } from '../stores/access-token-cache.ts'
import type { KeyStore } from '../stores/key-store.ts'

/** What every LTI Advantage service call needs: whom to call, how to sign, where to cache. */
export interface ServiceContext {
  readonly platform: Platform
  /** The tool's keys: the current one signs the client assertion. */
  readonly keys: KeyStore
  readonly tokenCache: AccessTokenCache
  readonly fetch?: FetchLike
  readonly now?: Clock
}

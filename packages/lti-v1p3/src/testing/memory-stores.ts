import type { Platform } from '../platform.ts'
import type { AccessToken, AccessTokenCache } from '../stores/access-token-cache.ts'
import type { KeyStore, ToolKey } from '../stores/key-store.ts'
import type { LoginState, LoginStateStore } from '../stores/login-state-store.ts'
import type { NonceStore } from '../stores/nonce-store.ts'
import type { PlatformStore } from '../stores/platform-store.ts'

/*
 * In-memory stores for tests only. They break with a second server process (ARCHITECTURE.md:
 * "never an in-memory store that breaks with a second process"); the app provides PostgreSQL
 * implementations. Single-threaded JS makes each method atomic here.
 */

export class MemoryPlatformStore implements PlatformStore {
  readonly #platforms = new Map<string, { platform: Platform; deployments: string[] }>()

  add(platform: Platform, deploymentIds: readonly string[] = []): void {
    this.#platforms.set(`${platform.issuer} ${platform.clientId}`, { platform, deployments: [...deploymentIds] })
  }

  async find(issuer: string, clientId: string): Promise<Platform | undefined> {
    return this.#platforms.get(`${issuer} ${clientId}`)?.platform
  }

  async findByIssuer(issuer: string): Promise<readonly Platform[]> {
    return [...this.#platforms.values()].map((e) => e.platform).filter((p) => p.issuer === issuer)
  }

  async listDeployments(issuer: string, clientId: string): Promise<readonly string[]> {
    return this.#platforms.get(`${issuer} ${clientId}`)?.deployments ?? []
  }
}

export class MemoryLoginStateStore implements LoginStateStore {
  readonly states = new Map<string, LoginState>()
  async save(state: string, value: LoginState): Promise<void> {
    this.states.set(state, value)
  }
  async find(state: string): Promise<LoginState | undefined> {
    return this.states.get(state)
  }
  async consume(state: string): Promise<LoginState | undefined> {
    const value = this.states.get(state)
    this.states.delete(state)
    return value
  }
}

export class MemoryNonceStore implements NonceStore {
  readonly seen = new Map<string, number>()
  async consume(nonce: string, expiresAt: number): Promise<boolean> {
    if (this.seen.has(nonce)) return false
    this.seen.set(nonce, expiresAt)
    return true
  }
}

export class MemoryKeyStore implements KeyStore {
  #current: ToolKey | undefined
  #previous: { key: ToolKey; retiredAt: number }[] = []
  async current(): Promise<ToolKey | undefined> {
    return this.#current
  }
  async previous(): Promise<readonly ToolKey[]> {
    return this.#previous.map((p) => p.key)
  }
  async rotate(next: ToolKey, dropRetiredBefore: number): Promise<void> {
    if (this.#current) this.#previous.unshift({ key: this.#current, retiredAt: next.createdAt })
    this.#previous = this.#previous.filter((p) => p.retiredAt >= dropRetiredBefore)
    this.#current = next
  }
}

export class MemoryAccessTokenCache implements AccessTokenCache {
  readonly tokens = new Map<string, AccessToken>()
  async get(key: string): Promise<AccessToken | undefined> {
    return this.tokens.get(key)
  }
  async set(key: string, token: AccessToken): Promise<void> {
    this.tokens.set(key, token)
  }
}

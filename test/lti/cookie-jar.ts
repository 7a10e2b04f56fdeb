/**
 * The cookies a browser would keep from the responses it saw, and send back: per host (not per
 * port, as browsers do), with the `Path` rule, `Max-Age=0` deleting. Enough for the LTI flows'
 * state cookie (`Path=/lti/launch`, also sent to its check `/lti/launch/check`) and session cookie (`Path=/`); not a general cookie engine.
 */
export class CookieJar {
  readonly #cookies = new Map<string, { host: string; path: string; name: string; value: string }>()

  /** `fetch` that sends this jar's cookies for `url` and keeps the ones the response sets. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = this.header(url)
    if (cookie !== '') headers.set('cookie', cookie)
    const response = await fetch(url, { redirect: 'manual', ...init, headers })
    this.keep(url, response)
    return response
  }

  /** A form POST, as the platform's or the tool's pages make it. */
  post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', body: new URLSearchParams(fields) })
  }

  /**
   * A login initiation POST, followed as a browser follows it through the tool's own redirects (the
   * cookie check, `/lti/launch/check`): returns the first response that is not a same-origin
   * redirect, normally the redirect to the platform's authentication request.
   */
  async login(url: string, fields: Record<string, string>): Promise<Response> {
    let response = await this.post(url, fields)
    let at = url
    for (let hop = 0; hop < 5; hop++) {
      const location = response.headers.get('location')
      if (response.status < 300 || response.status > 399 || location === null) return response
      const next = new URL(location, at)
      if (next.origin !== new URL(at).origin) return response
      at = next.href
      response = await this.fetch(at)
    }
    throw new Error(`too many redirects from ${url}`)
  }

  /** The `Cookie` header a browser sends to `url`. */
  header(url: string): string {
    const { hostname, pathname } = new URL(url)
    return [...this.#cookies.values()]
      .filter((c) => c.host === hostname && (pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map((c) => `${c.name}=${c.value}`).join('; ')
  }

  /** Keep the cookies a response to `url` sets. */
  keep(url: string, response: Response): void {
    const { hostname } = new URL(url)
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((p) => p.trim())
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const attribute = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1)
      const path = attribute('path') ?? '/'
      const key = `${hostname} ${path} ${name}`
      if (attribute('max-age') === '0') this.#cookies.delete(key)
      else this.#cookies.set(key, { host: hostname, path, name, value: pair!.slice(eq + 1) })
    }
  }
}

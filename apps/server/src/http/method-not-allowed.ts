import type { Express, RequestHandler, Response } from 'express'

/**
 * The part of Express 5's router (`router` 2.x, under `app.router`) read here. Reading the router's
 * own table rather than a registry the routers declare into: a registry would be a second list
 * beside the routes of some twenty routers in three packages, and would drift from them; this is
 * the table Express itself routes by, and the one its own OPTIONS answer reads (`route._methods()`).
 * Express and `router` are pinned; if their shape changes, the route table test
 * (`test/method-not-allowed.int.test.ts`) finds no routes, or a 404 where it expects a 405, and fails.
 */
interface RouterLayer {
  /** Set on a layer made by `router.get()`, `router.route()`…: its methods, lower-case, `_all` for `.all()`. */
  route?: { methods: Record<string, boolean | undefined> }
  /** A mounted router is a function that carries its own `stack`. */
  handle: { stack?: unknown }
  /** What the layer matches of `path`: the whole path for a route, a prefix for `use`; false if nothing. Throws on bad percent-encoding in a parameter. */
  match(path: string): { path: string } | false
  /** The pattern(s) the layer was made with (`router` 2.3); read only to list the routes. */
  rawPath?: unknown
  /** True for `use` without a path (matches every path, strips nothing). */
  slash?: boolean
}

/** The order `Allow` lists methods in: the usual ones as the LRS names them, then any other alphabetically. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

function stackOf(router: unknown): RouterLayer[] | undefined {
  const stack = (router as { stack?: unknown } | undefined)?.stack
  return Array.isArray(stack) ? (stack as RouterLayer[]) : undefined
}

/** The methods of a route, upper-case, with HEAD wherever GET is (Express answers HEAD with the GET handler); `*` for `.all()`. */
function routeMethods(route: NonNullable<RouterLayer['route']>): string[] {
  const methods = Object.keys(route.methods).filter((m) => route.methods[m] === true).map((m) => (m === '_all' ? '*' : m.toUpperCase()))
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD')
  return methods
}

function sortMethods(methods: Iterable<string>): string[] {
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length)
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** Walks `stack` as the router dispatches `path`: routes that match it whole, and routers mounted on a prefix of it, with that prefix taken off. */
function collect(stack: RouterLayer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    let match: { path: string } | false
    try {
      match = layer.match(path)
    } catch {
      continue // a parameter that is not valid percent-encoding: the router answered 400 before any fallback
    }
    if (match === false) continue
    if (layer.route !== undefined) {
      for (const method of routeMethods(layer.route)) into.add(method)
      continue
    }
    const inner = stackOf(layer.handle)
    if (inner === undefined) continue // middleware, not a router: it names no resource
    // As the router's trimPrefix: the prefix must end at a segment boundary; the rest starts with '/'.
    const rest = path.slice(match.path.length)
    if (rest !== '' && !rest.startsWith('/')) continue
    collect(inner, rest === '' ? '/' : rest, into)
  }
}

/**
 * The methods the app's routes have for `path` (RFC 9110 §10.2.1 `Allow`), HEAD included wherever
 * GET is; `undefined` when no route matches it, or when a `router.all()` route does (`*`: it takes
 * every method, and its handler chose not to answer). `app.all()` registers each method Node knows
 * one by one, so such a path lists them all and no method is ever missing from it either.
 */
export function allowedMethods(app: Express, path: string): string[] | undefined {
  const found = new Set<string>()
  collect(stackOf(app.router) ?? [], path, found)
  if (found.size === 0 || found.has('*')) return undefined
  return sortMethods(found)
}

/** One route of the app: its full pattern (mount paths joined) and its methods, as `allowedMethods` names them. */
export interface ListedRoute {
  path: string
  methods: readonly string[]
}

function patternsOf(layer: RouterLayer): string[] {
  if (layer.slash === true) return ['']
  const raw = Array.isArray(layer.rawPath) ? (layer.rawPath as unknown[]) : [layer.rawPath]
  // RegExp patterns have no text to join; TLN has none.
  return raw.filter((p): p is string => typeof p === 'string').map((p) => (p === '/' && layer.route === undefined ? '' : p))
}

function list(stack: RouterLayer[], prefix: string, into: ListedRoute[]): void {
  for (const layer of stack) {
    for (const pattern of patternsOf(layer)) {
      if (layer.route !== undefined) into.push({ path: `${prefix}${pattern}`, methods: sortMethods(routeMethods(layer.route)) })
      else {
        const inner = stackOf(layer.handle)
        if (inner !== undefined) list(inner, `${prefix}${pattern}`, into)
      }
    }
  }
}

/** Every route the app registers, mounted routers included, in registration order (tests enumerate them, so a new route is covered at once). */
export function listRoutes(app: Express): ListedRoute[] {
  const routes: ListedRoute[] = []
  list(stackOf(app.router) ?? [], '', routes)
  return routes
}

/**
 * Answers 405 Method Not Allowed with the `Allow` header RFC 9110 §15.5.6 requires ("The origin
 * server MUST generate an Allow header field in a 405 response containing a list of the target
 * resource's currently supported methods"), in the JSON error shape of the server's other answers.
 */
export function answerMethodNotAllowed(res: Response, method: string, allowed: readonly string[], resource: string): void {
  const list = allowed.join(', ')
  res.status(405).set('Allow', list).json({ error: { code: 'ERR_METHOD_NOT_ALLOWED', message: `${method} is not a method of ${resource} (allowed: ${list})`, field: 'method', rule: 'allowed-methods' } })
}

/**
 * The fallback before the 404: a request no route answered, to a path that some route of the app
 * has under other methods, gets 405 and `Allow` naming them (RFC 9110 §15.5.6), not "not found".
 * It runs only after every router passed the request on, so each router's own middleware (sessions,
 * CSRF, credentials) and its own answers (the LRS's 405s and 404s under `/xapi`) come first, as
 * before. A path no route has, a method the path has (a route that chose to pass it on, e.g. an
 * unknown static file), and a path with an `.all()` route still fall through to the 404. OPTIONS
 * too: Express's router answers it itself (200 and `Allow`) wherever a route matches.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next()
    const allowed = allowedMethods(app, req.path)
    if (allowed === undefined || allowed.includes(req.method)) return next()
    answerMethodNotAllowed(res, req.method, allowed, `the resource at ${req.path}`)
  }
}

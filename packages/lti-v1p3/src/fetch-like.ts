/**
 * The subset of the WHATWG `fetch` this library calls. Injectable so tests answer with a
 * platform double instead of the network; defaults to `globalThis.fetch`.
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** Millisecond clock, injectable so tests freeze time; defaults to `Date.now`. */
export type Clock = () => number

/** The launcher's default for `TLN_HEAP_GROWING_PERCENT`. */
export const DEFAULT_HEAP_GROWING_PERCENT: number
/** The V8 flag for `TLN_HEAP_GROWING_PERCENT`, undefined for 0; throws for a value out of its rule. */
export function heapGrowingFlag(env: Record<string, string | undefined>): string | undefined

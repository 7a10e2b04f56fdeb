import { randomInt } from 'node:crypto'

/**
 * The check-in code alphabet: digits and capitals without the ones read or typed as others on a
 * phone or a projected slide (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V): 21 symbols, so 6 characters
 * give 21^6 ≈ 8.6·10^7 codes, against a guesser held to a few tries per quarter hour.
 */
export const CODE_ALPHABET = '34679ACEFGHJKMNPRTWXY'
export const CODE_LENGTH = 6

/** A check-in code opens this long before the start… */
export const CHECK_IN_OPENS_BEFORE_MS = 60 * 60_000
/** …and closes this long after it (a meeting runs about two hours, people come late). */
export const CHECK_IN_CLOSES_AFTER_MS = 3 * 60 * 60_000

/** A fresh code from the OS CSPRNG (`crypto.randomInt`, uniform over the alphabet). */
export function newCheckInCode(random: (max: number) => number = randomInt): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)]
  return code
}

/**
 * What a person typed, as a code: upper case, spaces and dashes dropped (people copy "AB3 K7P" as
 * shown). undefined when it cannot be a code (wrong length, a symbol outside the alphabet).
 */
export function normaliseCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/gu, '')
  if (code.length !== CODE_LENGTH) return undefined
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return undefined
  return code
}

export type WindowState = 'not-yet' | 'open' | 'closed'

/** The window rule: a code checks in from 1 h before the start to 3 h after it (both ends included). */
export function checkInWindow(startsAt: Date, now: number): WindowState {
  const start = startsAt.getTime()
  if (now < start - CHECK_IN_OPENS_BEFORE_MS) return 'not-yet'
  if (now > start + CHECK_IN_CLOSES_AFTER_MS) return 'closed'
  return 'open'
}

/** When the window opens and closes, for the pages. */
export function windowBounds(startsAt: Date): { opens: Date; closes: Date } {
  return { opens: new Date(startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS), closes: new Date(startsAt.getTime() + CHECK_IN_CLOSES_AFTER_MS) }
}

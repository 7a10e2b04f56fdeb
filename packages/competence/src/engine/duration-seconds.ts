/**
 * `result.duration` in seconds (xAPI 1.0.3 Data 4.6: ISO 8601:2004 4.4.3.2 durations), for the
 * reports' time-on-task figures. Calendar components have no fixed length; a year counts as 365
 * days and a month as 30, which is precise enough for training sessions measured in minutes.
 */
const DURATION = /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/u

const UNIT_SECONDS = [365 * 86_400, 30 * 86_400, 7 * 86_400, 86_400, 3600, 60, 1] as const

/** Whole seconds (rounded) of an ISO 8601 duration; undefined when it is not one. */
export function durationSeconds(duration: string | undefined): number | undefined {
  if (duration === undefined) return undefined
  const match = DURATION.exec(duration)
  if (match === null || duration === 'P' || duration.endsWith('T')) return undefined
  let seconds = 0
  let any = false
  UNIT_SECONDS.forEach((unit, i) => {
    const part = match[i + 1]
    if (part === undefined) return
    any = true
    seconds += Number(part.replace(',', '.')) * unit
  })
  return any ? Math.round(seconds) : undefined
}

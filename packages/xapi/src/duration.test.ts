import { describe, expect, it } from 'vitest'
import { isDuration } from './duration.ts'

describe('isDuration (xAPI 1.0.3 Data 4.6; ISO 8601:2004 4.4.3.2)', () => {
  it.each(['PT1H0M0S', 'P1D', 'PT0.5S', 'P1W', 'P4W', 'PT4H35M59.14S', 'PT16559.14S', 'P3Y1M29DT4H35M59.14S', 'P3Y', 'PT1H0M0.1S', 'PT1234S', 'P0D', 'PT0,5S'])(
    'accepts %s', (value) => expect(isDuration(value)).toBe(true),
  )
  it.each(['', 'P', 'PT', 'P4W1D', 'PA1H0M0S', 'should fail', 'PT1.5H30M', '1H', 'P1DT', 'PT-1S', 'P0003-01-29T04:35:59'])(
    'rejects %j', (value) => expect(isDuration(value)).toBe(false),
  )
})

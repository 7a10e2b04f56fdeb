import { describe, expect, it } from 'vitest'
import { passbackState } from './passback-state.ts'

describe('passbackState (how a facilitator sees a grade passback, AGS 2.0 §3.4)', () => {
  it('a pending job without an error is queued', () => {
    expect(passbackState({ status: 'pending', attempts: 0 })).toBe('queued')
  })
  it('a pending job with a failed attempt is retrying (backoff)', () => {
    expect(passbackState({ status: 'pending', attempts: 2, lastError: { message: 'HTTP 503', status: 503 } })).toBe('retrying')
  })
  it('a job the platform refused with 400 (Moodle: user cannot be graded) is failed, not retried', () => {
    expect(passbackState({ status: 'failed', attempts: 1, lastError: { message: 'HTTP 400', status: 400, body: 'User cannot be graded' } })).toBe('failed')
  })
  it('a job that ran out of attempts on 5xx or network errors is dead', () => {
    expect(passbackState({ status: 'failed', attempts: 12, lastError: { message: 'gave up after 12 attempts: HTTP 502', status: 502 } })).toBe('dead')
    expect(passbackState({ status: 'failed', attempts: 12, lastError: { message: 'gave up after 12 attempts: fetch failed' } })).toBe('dead')
    expect(passbackState({ status: 'failed', attempts: 12, lastError: { message: 'gave up', status: 429 } })).toBe('dead')
  })
  it('a job whose launch did not grant the score scope is failed, not dead: no HTTP answer, yet no attempt will help (AGS 2.0 §3.1)', () => {
    expect(passbackState({ status: 'failed', attempts: 1, lastError: { message: 'the platform did not grant the AGS score scope', code: 'ERR_PASSBACK_SCOPE_NOT_GRANTED' } })).toBe('failed')
    // No HTTP status, yet no network failure: the tool refused a dynamically registered platform's private address (OWASP SSRF).
    expect(passbackState({ status: 'failed', attempts: 1, lastError: { message: 'https://lms.example.org resolves to 10.0.0.5, a private address', code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS' } })).toBe('failed')
  })
  it('a sent job is sent', () => {
    expect(passbackState({ status: 'sent', attempts: 1 })).toBe('sent')
  })
})

import { describe, expect, it } from 'vitest'
import type { PassbackView } from './scoped-passbacks.ts'
import { gradesPage } from './grades-page.ts'

const job = (over: Partial<PassbackView>): PassbackView => ({
  id: 7, tenant: 'default', tenantId: '00000000-0000-4000-8000-000000000001', platformId: 'p', issuer: 'https://lms.example.org', clientId: 'c',
  target: { lineItemUrl: 'https://lms.example.org/li/1' }, userSub: 'u1', scoreGiven: 8, scoreMaximum: 10,
  activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date('2026-11-29T01:00:00Z'),
  status: 'failed', attempts: 1, nextAttemptAt: new Date('2026-11-29T01:00:00Z'), createdAt: new Date('2026-11-29T01:00:00Z'), state: 'failed', learnerName: 'Ani', ...over,
})

describe('the grades page names who stopped a passback', () => {
  it('labels a score the LMS refused "Refused by the LMS" with the LMS\'s answer', () => {
    const html = gradesPage({ csrf: 't', filter: 'problems', scope: 'x', timeZone: 'Asia/Makassar', jobs: [job({ lastError: { message: 'refused', status: 400, body: 'user not enrolled' } })] })
    expect(html).toContain('Refused by the LMS')
    expect(html).toContain('LMS answer</span>: <code class="lms-answer">HTTP 400 — user not enrolled</code>')
  })
  it('labels a passback TLN blocked (a self-registered LMS on a private address) "Blocked by TLN", with the reason and the setting', () => {
    const html = gradesPage({ csrf: 't', filter: 'problems', scope: 'x', timeZone: 'Asia/Makassar', jobs: [job({ lastError: { message: 'lms.lan resolves to a private address', code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS' } })] })
    expect(html).toContain('Diblokir TLN <span lang="en">/ Blocked by TLN</span>')
    expect(html).not.toContain('Refused by the LMS')
    expect(html).toContain('Reason</span>: <code class="lms-answer">lms.lan resolves to a private address</code>')
    expect(html).toContain('TLN_LTI_PLATFORM_ALLOW_PRIVATE')
  })
})

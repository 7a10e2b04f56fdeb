import { describe, expect, it } from 'vitest'
import { platformStorageKeys, renderPlatformStoragePage } from './platform-storage.ts'

describe('renderPlatformStoragePage (LTI Client Side postMessage storage)', () => {
  it('renders data attributes, escaped, and an external script only — no inline script (CSP)', () => {
    const html = renderPlatformStoragePage({
      mode: 'put', target: 'frame"<x>', platformOrigin: 'https://lms.example.org', keys: platformStorageKeys('s', 'n'),
      next: 'https://lms.example.org/auth?a=1&b=2', scriptSrc: '/lti/storage.js',
    })
    expect(html).toContain('data-target="frame&#34;&#60;x&#62;"')
    expect(html).toContain('data-next="https://lms.example.org/auth?a=1&#38;b=2"')
    expect(html).toContain('data-state-key="state_s"')
    expect(html.match(/<script/gu)).toHaveLength(1)
    expect(html).toContain('<script src="/lti/storage.js"></script>')
  })
  it('offers the restart of the login in a new window when the check fails, if given (Security Framework 1.0 §5.1.1)', () => {
    const page = { mode: 'check', target: '_parent', platformOrigin: 'https://lms.example.org', keys: platformStorageKeys('s', ''), next: '/lti/launch', scriptSrc: '/s.js' } as const
    expect(renderPlatformStoragePage(page)).not.toContain('lti-restart-login')
    expect(renderPlatformStoragePage({ ...page, restartUrl: '/lti/login?iss=x&login_hint=u' }))
      .toContain('<a id="lti-restart-login" href="/lti/login?iss=x&#38;login_hint=u" target="_blank" rel="noopener">')
  })
})

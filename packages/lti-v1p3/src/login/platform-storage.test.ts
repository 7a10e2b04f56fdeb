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
})

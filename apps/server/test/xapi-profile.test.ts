import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { mountXapiProfile } from '../src/http/xapi-profile.ts'

describe('the TLN xAPI Profile is served at the paths of its IRIs', () => {
  const app = express()
  mountXapiProfile(app)

  it('GET /xapi/profile answers the JSON-LD profile document', async () => {
    const res = await request(app).get('/xapi/profile').expect(200)
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/)
    const profile = JSON.parse(res.text) as { id: string; type: string; versions: { id: string }[] }
    expect(profile).toMatchObject({ id: 'https://tln.example/xapi/profile', type: 'Profile' })
    expect(profile.versions[0]!.id).toBe('https://tln.example/xapi/profile/v0.1')
  })

  it('GET /xapi/profile/v0.1 (the version IRI) answers the same document', async () => {
    const [a, b] = await Promise.all([request(app).get('/xapi/profile'), request(app).get('/xapi/profile/v0.1')])
    expect(b.status).toBe(200)
    expect(b.text).toBe(a.text)
  })

  it('answers another method with 405 and Allow: GET, HEAD, as the About resource does (RFC 9110 §15.5.6)', async () => {
    for (const path of ['/xapi/profile', '/xapi/profile/v0.1']) {
      for (const method of ['post', 'put', 'delete', 'patch'] as const) {
        const res = await request(app)[method](path).expect(405)
        expect(res.headers.allow).toBe('GET, HEAD')
        expect(res.body).toMatchObject({ error: { code: 'ERR_METHOD_NOT_ALLOWED', field: 'method' } })
      }
    }
  })
})

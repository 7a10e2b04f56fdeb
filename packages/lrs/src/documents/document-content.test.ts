import { describe, expect, it } from 'vitest'
import { documentToStore, mergeDocuments } from './document-content.ts'

const json = (value: unknown) => ({ contentType: 'application/json', content: Buffer.from(JSON.stringify(value)) })

describe('document contents (xAPI 1.0.3 Communication 2.2)', () => {
  it('merges only top-level properties, replacing nested objects whole (2.2.s7)', () => {
    const merged = mergeDocuments(json({ x: 'foo', y: 'bar', car: { make: 'Ford', model: 'Escape' } }), json({ x: 'bash', z: 'faz', car: { make: 'Dodge' } }))
    expect(JSON.parse(merged.content.toString())).toEqual({ x: 'bash', y: 'bar', z: 'faz', car: { make: 'Dodge' } })
    expect(merged.contentType).toBe('application/json')
  })

  it('refuses to merge when either side is not application/json or not a JSON object (2.2.s8.b1)', () => {
    const text = { contentType: 'text/plain', content: Buffer.from('abc') }
    expect(() => mergeDocuments(text, json({ a: 1 }))).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: 'Content-Type' }))
    expect(() => mergeDocuments(json({ a: 1 }), text)).toThrow(expect.objectContaining({ path: 'Content-Type' }))
    expect(() => mergeDocuments(json([1, 2]), json({ a: 1 }))).toThrow(expect.objectContaining({ path: '$' }))
    expect(() => mergeDocuments(json({ a: 1 }), json('1'))).toThrow(expect.objectContaining({ path: '$' }))
  })

  it('keeps a document of any content type as sent, and application/octet-stream when none is given (1.5.b1)', () => {
    const bytes = Buffer.from([0, 255, 10, 13])
    expect(documentToStore('image/png', bytes)).toEqual({ contentType: 'image/png', content: bytes })
    expect(documentToStore(undefined, bytes).contentType).toBe('application/octet-stream')
  })

  it('rejects a body declared application/json that is not JSON (3.2.s3.b6)', () => {
    expect(() => documentToStore('application/json; charset=utf-8', Buffer.from('{nope'))).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: '$' }))
  })
})

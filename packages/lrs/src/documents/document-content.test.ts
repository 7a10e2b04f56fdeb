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

  it('refuses to merge a number too large for a double, which the merge would write as null (rule finite-number; RFC 8259 §6)', () => {
    const huge = { contentType: 'application/json', content: Buffer.from('{"a":1e400}') }
    expect(() => mergeDocuments(json({ b: 1 }), huge)).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: 'a' }))
    expect(() => mergeDocuments(huge, json({ b: 1 }))).toThrow(expect.objectContaining({ path: 'a' }))
  })

  it('refuses a Content-Type with a control character, which an alternate request can carry (rule no-control-characters; RFC 9110 §5.5)', () => {
    expect(() => documentToStore('text/plain\u0000', Buffer.from('x'))).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: 'Content-Type' }))
    expect(documentToStore('text/plain;\tcharset=utf-8', Buffer.from('x')).contentType).toBe('text/plain;\tcharset=utf-8')
  })

  it('rejects a body declared application/json that is not JSON (3.2.s3.b6)', () => {
    expect(() => documentToStore('application/json; charset=utf-8', Buffer.from('{nope'))).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: '$' }))
  })
})

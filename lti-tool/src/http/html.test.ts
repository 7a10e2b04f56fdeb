import { describe, expect, it } from 'vitest'
import { both, bothUnlessSame, endSentence } from './html.ts'

/**
 * Pages are `lang="id"`; the English half of a bilingual text is marked `lang="en"` so a screen
 * reader says it in English (WCAG 2.1 SC 3.1.2, Language of Parts).
 */
describe('bilingual text', () => {
  it('marks the English half lang="en" after a slash (WCAG 2.1 SC 3.1.2)', () => {
    expect(both({ id: 'Simpan sesi', en: 'Save session' })).toBe('Simpan sesi <span lang="en">/ Save session</span>')
  })

  it('escapes both halves, so a name typed by a user cannot add markup', () => {
    expect(both({ id: '<b>A & B</b>', en: 'It\'s "x"' })).toBe('&#60;b&#62;A &#38; B&#60;/b&#62; <span lang="en">/ It&#39;s &#34;x&#34;</span>')
  })

  it('shows both halves on tool pages even when they are spelled alike', () => {
    expect(both({ id: 'Kecamatan', en: 'Kecamatan' })).toBe('Kecamatan <span lang="en">/ Kecamatan</span>')
  })

  it('says a text once on report pages when both languages spell it alike', () => {
    expect(bothUnlessSame('Kecamatan', 'Kecamatan')).toBe('Kecamatan')
    expect(bothUnlessSame('Laporan', 'Reports')).toBe('Laporan <span lang="en">/ Reports</span>')
    expect(bothUnlessSame('A&B', 'A&B')).toBe('A&#38;B')
  })
})

describe('a sentence ending in a name', () => {
  it('gets one full stop, also after a title that ends in one (M.Pd.)', () => {
    expect(endSentence('Lalu Muhammad Hasan, M.Pd.')).toBe('Lalu Muhammad Hasan, M.Pd.')
    expect(endSentence('Baiq Nurhasanah')).toBe('Baiq Nurhasanah.')
  })
})

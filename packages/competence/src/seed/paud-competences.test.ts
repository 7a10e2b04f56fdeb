import { describe, expect, it } from 'vitest'
import { flattenFramework } from '../framework/flatten-framework.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { PAUD_EDUCATOR_COMPETENCES } from './paud-competences.ts'

describe('PAUD educator competences seed (Permendikbud 137/2014, Lampiran II; DOMAIN.md)', () => {
  it('is a valid framework', () => {
    expect(() => validateFramework(PAUD_EDUCATOR_COMPETENCES)).not.toThrow()
  })

  it('has the four competences: pedagogik, kepribadian, sosial, profesional', () => {
    expect(PAUD_EDUCATOR_COMPETENCES.competences.map((c) => c.title.id)).toEqual(['Kompetensi Pedagogik', 'Kompetensi Kepribadian', 'Kompetensi Sosial', 'Kompetensi Profesional'])
  })

  it('holds the confirmed anchor PED.C.2 with the wording DOMAIN.md gives, not marked verify', () => {
    const nodes = new Map(flattenFramework(PAUD_EDUCATOR_COMPETENCES).map((n) => [n.code, n]))
    expect(nodes.get('PED.C')).toMatchObject({ verify: false, title: { id: 'Merancang kegiatan pengembangan AUD berdasarkan kurikulum' } })
    expect(nodes.get('PED.C.2')).toMatchObject({ verify: false, level: 'indicator', title: { id: 'Membuat rancangan kegiatan bermain dalam bentuk program tahunan, semester, mingguan, dan harian' } })
  })

  it('marks every other sub-competence and indicator title verify: true (DOMAIN.md: the rest *(verify)*)', () => {
    const unconfirmed = flattenFramework(PAUD_EDUCATOR_COMPETENCES).filter((n) => n.level !== 'competence' && n.code !== 'PED.C' && n.code !== 'PED.C.2')
    expect(unconfirmed.length).toBeGreaterThan(20)
    expect(unconfirmed.filter((n) => !n.verify).map((n) => n.code)).toEqual([])
  })

  it('letters sub-competences and numbers indicators (PED.C, PED.C.2)', () => {
    for (const n of flattenFramework(PAUD_EDUCATOR_COMPETENCES)) {
      if (n.level === 'sub-competence') expect(n.code).toMatch(/^[A-Z]{3}\.[A-Z]$/)
      if (n.level === 'indicator') expect(n.code).toMatch(/^[A-Z]{3}\.[A-Z]\.\d+$/)
    }
  })
})

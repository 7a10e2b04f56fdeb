/**
 * The paper's monthly evaluation (issue 5): "evaluasi setiap satu bulan sekali … melalui kegiatan
 * observasi dan wawancara", with the work team visiting participants' schools "untuk melihat
 * kemajuan dalam praktik pembelajaran" and talking with the participants. As the two instruments
 * a district admin would define on `/lti/observations/instruments/new`: the same form rules
 * (`checkInstrumentForm`, against the framework in force) and the same store. The items follow
 * what the paper says the program worked on (lesson plans Prota/Promes/RPPM/RPPH, media from
 * recycled materials, learning through play, mentoring colleagues at one's own school, routine
 * group meetings, atmaGo and the school blog); their wording and competence links are MADE UP
 * for the demo *(verify against BPPAUD material)*. The instrument model holds one language, so
 * the items are in Bahasa Indonesia, the language of the monitors and teachers.
 */
import type { Knex } from '@tln/db'
import { checkInstrumentForm, instrumentCompetenceCodes, ObservationStore, type InstrumentInput } from '@tln/lti-tool'

/** The four levels of the demo's lesson-plan rubric, lowest first. */
const LABELS = ['Perlu bimbingan', 'Cukup', 'Baik', 'Sangat baik']

/** The instrument forms as a district admin would fill them in: `CODE | competence indicator | what to look for`. */
export const DEMO_INSTRUMENT_FORMS: ReadonlyArray<Readonly<Record<'name' | 'kind' | 'top' | 'labels' | 'indicators', string>>> = [
  {
    name: 'Observasi pembelajaran bulanan',
    kind: 'observation',
    top: String(LABELS.length),
    labels: LABELS.join('\n'),
    indicators: [
      'OBS1 | PED.C.2 | Guru memiliki perangkat pembelajaran siap pakai: Prota, Promes, RPPM dan RPPH',
      'OBS2 | PED.D.1 | Kegiatan di kelas berjalan sesuai RPPH yang disusun guru',
      'OBS3 | PED.D.2 | Guru memakai media pembelajaran dari bahan bekas yang sesuai dengan tema pembelajaran',
      'OBS4 | PED.B.2 | Anak belajar melalui bermain, sesuai tahap perkembangannya',
      'OBS5 | PED.F.2 | Guru mengatasi masalah yang muncul selama pembelajaran',
    ].join('\n'),
  },
  {
    name: 'Wawancara guru bulanan',
    kind: 'interview',
    top: String(LABELS.length),
    labels: LABELS.join('\n'),
    indicators: [
      'WAW1 | SOS.B.2 | Guru mendampingi guru lain di sekolahnya membuat perangkat pembelajaran',
      'WAW2 | KEP.C.1 | Guru mengikuti pertemuan rutin kelompok TLN sesuai jadwal yang disepakati',
      'WAW3 | PRO.C.2 | Guru memanfaatkan teknologi (aplikasi e-training, WhatsApp) untuk belajar dan berkomunikasi',
      'WAW4 | PRO.C.3 | Guru menulis dan membagikan praktik baik di atmaGo atau blog sekolah',
      'WAW5 | PRO.C.1 | Guru dapat menceritakan kendala dalam pembelajaran dan cara mengatasinya',
    ].join('\n'),
  },
]

/**
 * Defines the demo's monthly observation and interview instruments for the tenant, each checked
 * by the instrument form's rules. Idempotent: an instrument of the same name and kind in the
 * tenant is left as it is (the tenant row is locked meanwhile, so two seeds do not both add one).
 * @returns how many instruments this run added
 * @throws TypeError when a demo form breaks a rule of the form (a bug of this file, or a framework
 *   in force that lacks one of the competence codes)
 */
export async function seedDemoObservations(knex: Knex, tenantId: string): Promise<{ added: number }> {
  const codes = await instrumentCompetenceCodes(knex, tenantId)
  const inputs: InstrumentInput[] = DEMO_INSTRUMENT_FORMS.map((form) => {
    const checked = checkInstrumentForm(form, codes)
    if (!checked.ok) throw new TypeError(`demo instrument ${form.name}: ${Object.entries(checked.errors).map(([field, text]) => `${field}: ${text.en}`).join('; ')}`)
    return checked.value
  })
  return knex.transaction(async (trx) => {
    await trx('tenant').where({ id: tenantId }).forUpdate().first('id')
    const store = new ObservationStore(trx)
    const existing = await store.instruments(tenantId)
    let added = 0
    for (const input of inputs) {
      if (existing.some((i) => i.name === input.name && i.kind === input.kind)) continue
      await store.insertInstrument(tenantId, input, null)
      added += 1
    }
    return { added }
  })
}

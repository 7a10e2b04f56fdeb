/**
 * Seed data: the four competences of PAUD educators (Permendikbud 137/2014, Lampiran II):
 * pedagogik, kepribadian, sosial, profesional, each with lettered sub-competences and numbered
 * indicators (DOMAIN.md, "Standards and structures").
 *
 * DATA ONLY. Confirmed by DOMAIN.md: the four competences, pedagogik I.C "Merancang kegiatan
 * pengembangan AUD berdasarkan kurikulum" and its indicator 2 "membuat rancangan kegiatan bermain
 * dalam bentuk program tahunan, semester, mingguan, dan harian" (`PED.C.2`, the anchor of the
 * Prota/Promes/RPPM/RPPH tasks). Every other title was filled in from the engineer's knowledge of
 * the regulation and is marked `verify: true`: an administrator checks it against the gazetted
 * text and corrects it here (or through the CSV/CASE import) without touching code. English
 * titles are TLN's own translations.
 */
import type { Framework } from '../framework/types.ts'

export const PAUD_EDUCATOR_COMPETENCES: Framework = {
  id: 'permendikbud-137-2014-pendidik-paud',
  title: {
    id: 'Standar Kompetensi Pendidik PAUD (Permendikbud 137/2014, Lampiran II)',
    en: 'Competence Standard for Early Childhood Educators (Permendikbud 137/2014, Annex II)',
  },
  version: '1.0.0',
  source: 'Peraturan Menteri Pendidikan dan Kebudayaan Nomor 137 Tahun 2014 tentang Standar Nasional Pendidikan Anak Usia Dini, Lampiran II',
  creator: 'Kementerian Pendidikan dan Kebudayaan Republik Indonesia',
  competences: [
    {
      code: 'PED', version: '1.0.0',
      title: { id: 'Kompetensi Pedagogik', en: 'Pedagogical competence' },
      subCompetences: [
        {
          code: 'PED.A', version: '1.0.0', verify: true,
          title: { id: 'Mengorganisasikan aspek perkembangan sesuai dengan karakteristik anak usia dini', en: 'Organises the aspects of development according to the characteristics of young children' },
          indicators: [
            { code: 'PED.A.1', version: '1.0.0', verify: true, title: { id: 'Memahami karakteristik perkembangan anak usia dini dalam aspek nilai agama dan moral, fisik-motorik, kognitif, bahasa, sosial-emosional, dan seni', en: 'Understands how young children develop in religious and moral values, physical-motor, cognitive, language, social-emotional and art aspects' } },
            { code: 'PED.A.2', version: '1.0.0', verify: true, title: { id: 'Mengelompokkan anak usia dini sesuai dengan kebutuhan pertumbuhan dan perkembangannya', en: 'Groups young children according to their growth and developmental needs' } },
            { code: 'PED.A.3', version: '1.0.0', verify: true, title: { id: 'Mengidentifikasi kesulitan yang dialami anak usia dini dalam setiap aspek perkembangan', en: 'Identifies the difficulties young children meet in each aspect of development' } },
          ],
        },
        {
          code: 'PED.B', version: '1.0.0', verify: true,
          title: { id: 'Menganalisis teori bermain sesuai aspek dan tahapan perkembangan, kebutuhan, potensi, bakat, dan minat anak usia dini', en: 'Analyses theories of play according to the aspects and stages of development, needs, potential, talents and interests of young children' },
          indicators: [
            { code: 'PED.B.1', version: '1.0.0', verify: true, title: { id: 'Memahami berbagai teori bermain anak usia dini', en: 'Understands theories of play in early childhood' } },
            { code: 'PED.B.2', version: '1.0.0', verify: true, title: { id: 'Menerapkan teori bermain sesuai dengan tahapan perkembangan anak usia dini', en: 'Applies theories of play according to the developmental stage of young children' } },
          ],
        },
        {
          code: 'PED.C', version: '1.0.0',
          title: { id: 'Merancang kegiatan pengembangan AUD berdasarkan kurikulum', en: 'Designs early-childhood development activities based on the curriculum' },
          indicators: [
            { code: 'PED.C.1', version: '1.0.0', verify: true, title: { id: 'Memahami kurikulum pengembangan anak usia dini', en: 'Understands the early-childhood development curriculum' } },
            { code: 'PED.C.2', version: '1.0.0', title: { id: 'Membuat rancangan kegiatan bermain dalam bentuk program tahunan, semester, mingguan, dan harian', en: 'Drafts play-activity plans as annual, semester, weekly and daily programmes' } },
            { code: 'PED.C.3', version: '1.0.0', verify: true, title: { id: 'Memilih media, sumber bahan, dan alat bermain yang sesuai dengan rancangan kegiatan', en: 'Chooses media, materials and play equipment that suit the planned activities' } },
          ],
        },
        {
          code: 'PED.D', version: '1.0.0', verify: true,
          title: { id: 'Menyelenggarakan kegiatan pengembangan yang mendidik', en: 'Carries out educational development activities' },
          indicators: [
            { code: 'PED.D.1', version: '1.0.0', verify: true, title: { id: 'Mengelola kegiatan sesuai dengan rencana yang telah disusun berdasarkan kebutuhan anak usia dini', en: 'Runs activities according to the plan drawn up from the needs of young children' } },
            { code: 'PED.D.2', version: '1.0.0', verify: true, title: { id: 'Menggunakan media dan sumber belajar yang sesuai dengan kondisi setempat', en: 'Uses media and learning resources that suit local conditions' } },
            { code: 'PED.D.3', version: '1.0.0', verify: true, title: { id: 'Menerapkan aturan yang disepakati bersama anak usia dini', en: 'Applies rules agreed with the children' } },
          ],
        },
        {
          code: 'PED.E', version: '1.0.0', verify: true,
          title: { id: 'Menyelenggarakan dan membuat laporan penilaian, evaluasi proses dan hasil pembelajaran anak usia dini', en: 'Assesses, evaluates and reports on the process and outcomes of young children’s learning' },
          indicators: [
            { code: 'PED.E.1', version: '1.0.0', verify: true, title: { id: 'Memahami prinsip-prinsip penilaian perkembangan anak usia dini', en: 'Understands the principles of assessing young children’s development' } },
            { code: 'PED.E.2', version: '1.0.0', verify: true, title: { id: 'Melaksanakan penilaian perkembangan anak usia dini dengan berbagai teknik', en: 'Assesses young children’s development with a range of techniques' } },
            { code: 'PED.E.3', version: '1.0.0', verify: true, title: { id: 'Menyusun laporan hasil penilaian perkembangan anak usia dini', en: 'Writes reports of development assessment results' } },
          ],
        },
        {
          code: 'PED.F', version: '1.0.0', verify: true,
          title: { id: 'Melakukan tindakan reflektif, korektif, dan inovatif dalam meningkatkan kualitas proses dan hasil pembelajaran', en: 'Acts reflectively, correctively and innovatively to improve the quality of learning processes and outcomes' },
          indicators: [
            { code: 'PED.F.1', version: '1.0.0', verify: true, title: { id: 'Melakukan refleksi terhadap kegiatan pembelajaran yang telah dilaksanakan', en: 'Reflects on the learning activities carried out' } },
            { code: 'PED.F.2', version: '1.0.0', verify: true, title: { id: 'Memanfaatkan hasil refleksi untuk perbaikan dan pengembangan pembelajaran', en: 'Uses the results of reflection to improve and develop learning' } },
          ],
        },
      ],
    },
    {
      code: 'KEP', version: '1.0.0',
      title: { id: 'Kompetensi Kepribadian', en: 'Personal competence' },
      subCompetences: [
        {
          code: 'KEP.A', version: '1.0.0', verify: true,
          title: { id: 'Bersikap sesuai dengan norma agama, budaya, dan keyakinan yang dianut', en: 'Behaves according to religious and cultural norms and the beliefs held' },
          indicators: [
            { code: 'KEP.A.1', version: '1.0.0', verify: true, title: { id: 'Menghargai keragaman agama, suku, budaya, dan jenis kelamin anak usia dini dan keluarganya', en: 'Respects the diversity of religion, ethnicity, culture and gender of children and their families' } },
            { code: 'KEP.A.2', version: '1.0.0', verify: true, title: { id: 'Bersikap sesuai dengan norma agama, hukum, dan norma sosial yang berlaku dalam masyarakat', en: 'Behaves according to religious norms, the law and the social norms of the community' } },
          ],
        },
        {
          code: 'KEP.B', version: '1.0.0', verify: true,
          title: { id: 'Menampilkan diri sebagai pribadi yang berbudi pekerti luhur', en: 'Presents themselves as a person of noble character' },
          indicators: [
            { code: 'KEP.B.1', version: '1.0.0', verify: true, title: { id: 'Berperilaku jujur, santun, dan sesuai dengan kode etik profesi', en: 'Behaves honestly, courteously and according to the professional code of ethics' } },
            { code: 'KEP.B.2', version: '1.0.0', verify: true, title: { id: 'Menjadi teladan bagi anak usia dini dan masyarakat di sekitarnya', en: 'Is a role model for the children and the surrounding community' } },
          ],
        },
        {
          code: 'KEP.C', version: '1.0.0', verify: true,
          title: { id: 'Menampilkan diri sebagai pribadi yang mantap, dewasa, arif, dan berwibawa', en: 'Presents themselves as a steady, mature, wise and dignified person' },
          indicators: [
            { code: 'KEP.C.1', version: '1.0.0', verify: true, title: { id: 'Menunjukkan etos kerja, tanggung jawab yang tinggi, dan rasa bangga menjadi pendidik', en: 'Shows a strong work ethic, high responsibility and pride in being an educator' } },
            { code: 'KEP.C.2', version: '1.0.0', verify: true, title: { id: 'Menunjukkan rasa percaya diri dalam menjalankan tugas', en: 'Shows self-confidence in carrying out their duties' } },
          ],
        },
      ],
    },
    {
      code: 'SOS', version: '1.0.0',
      title: { id: 'Kompetensi Sosial', en: 'Social competence' },
      subCompetences: [
        {
          code: 'SOS.A', version: '1.0.0', verify: true,
          title: { id: 'Beradaptasi dengan lingkungan', en: 'Adapts to the environment' },
          indicators: [
            { code: 'SOS.A.1', version: '1.0.0', verify: true, title: { id: 'Menyesuaikan diri dengan lingkungan tempat bertugas', en: 'Adapts to the place where they work' } },
            { code: 'SOS.A.2', version: '1.0.0', verify: true, title: { id: 'Bersikap inklusif, bertindak objektif, dan tidak diskriminatif', en: 'Is inclusive, acts objectively and does not discriminate' } },
          ],
        },
        {
          code: 'SOS.B', version: '1.0.0', verify: true,
          title: { id: 'Berkomunikasi secara efektif', en: 'Communicates effectively' },
          indicators: [
            { code: 'SOS.B.1', version: '1.0.0', verify: true, title: { id: 'Berkomunikasi secara empatik dan santun dengan orang tua dan masyarakat', en: 'Communicates with empathy and courtesy with parents and the community' } },
            { code: 'SOS.B.2', version: '1.0.0', verify: true, title: { id: 'Berkomunikasi dengan sesama pendidik, tenaga kependidikan, dan komunitas profesi', en: 'Communicates with fellow educators, education staff and professional communities' } },
          ],
        },
      ],
    },
    {
      code: 'PRO', version: '1.0.0',
      title: { id: 'Kompetensi Profesional', en: 'Professional competence' },
      subCompetences: [
        {
          code: 'PRO.A', version: '1.0.0', verify: true,
          title: { id: 'Memahami materi, struktur, dan konsep bidang keilmuan yang mendukung serta sejalan dengan kebutuhan dan tahapan perkembangan anak usia dini', en: 'Understands the content, structure and concepts of the fields of knowledge that support, and fit, the needs and developmental stages of young children' },
          indicators: [
            { code: 'PRO.A.1', version: '1.0.0', verify: true, title: { id: 'Memahami konsep, struktur, dan materi keilmuan yang mendukung pengembangan anak usia dini', en: 'Understands the concepts, structure and content that support early-childhood development' } },
            { code: 'PRO.A.2', version: '1.0.0', verify: true, title: { id: 'Mengembangkan materi kegiatan sesuai dengan tahapan perkembangan anak usia dini', en: 'Develops activity content that fits the children’s developmental stage' } },
          ],
        },
        {
          code: 'PRO.B', version: '1.0.0', verify: true,
          title: { id: 'Merancang berbagai kegiatan pembelajaran kreatif sesuai dengan tahapan perkembangan anak usia dini', en: 'Designs creative learning activities that fit the developmental stages of young children' },
          indicators: [
            { code: 'PRO.B.1', version: '1.0.0', verify: true, title: { id: 'Merancang kegiatan pembelajaran kreatif dengan memanfaatkan bahan dan lingkungan sekitar', en: 'Designs creative learning activities using local materials and surroundings' } },
            { code: 'PRO.B.2', version: '1.0.0', verify: true, title: { id: 'Membuat alat permainan edukatif sesuai dengan tahapan perkembangan anak usia dini', en: 'Makes educational play equipment that fits the children’s developmental stage' } },
          ],
        },
        {
          code: 'PRO.C', version: '1.0.0', verify: true,
          title: { id: 'Mengembangkan keprofesionalan secara berkelanjutan', en: 'Develops their professionalism continuously' },
          indicators: [
            { code: 'PRO.C.1', version: '1.0.0', verify: true, title: { id: 'Melakukan refleksi terhadap kinerja sendiri secara terus-menerus', en: 'Reflects continuously on their own performance' } },
            { code: 'PRO.C.2', version: '1.0.0', verify: true, title: { id: 'Memanfaatkan teknologi informasi dan komunikasi untuk berkomunikasi dan mengembangkan diri', en: 'Uses information and communication technology to communicate and develop themselves' } },
            { code: 'PRO.C.3', version: '1.0.0', verify: true, title: { id: 'Menulis dan membagikan karya tentang praktik baik pembelajaran', en: 'Writes and shares work about good teaching practice' } },
          ],
        },
      ],
    },
  ],
}

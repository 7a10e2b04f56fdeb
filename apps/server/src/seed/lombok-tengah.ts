/**
 * Demo organisation data: Kabupaten Lombok Tengah as in Sanisah et al. (the TLN community-service
 * paper, `seed/tln-paper-lombok-tengah.txt`): 12 kecamatan with a TLN gathering point each, 60
 * participant teachers from private PAUD institutions, and facilitators.
 *
 * This is data, not code (DOMAIN.md): an administrator corrects it here without touching the
 * generator. Kecamatan names and codes come from secondary sources *(verify)*. Schools, NPSNs
 * and people are MADE UP: NPSNs start with 99, a prefix no real school has, and the names are
 * common Sasak names, not the paper's participants.
 */

export type SchoolType = 'TK' | 'KB' | 'TPA' | 'SPS' | 'RA'

export interface Kecamatan {
  /** Stable slug, used in IRIs. */
  slug: string
  name: string
  /** Kemendagri code *(verify)*. */
  code: string
}

export interface School {
  npsn: string
  name: string
  type: SchoolType
  kecamatan: string
}

export interface Person {
  /** Account name on the e-training application (the xAPI actor's `account.name`). */
  id: string
  name: string
}

export interface Teacher extends Person {
  npsn: string
}

export interface Facilitator extends Person {
  /** Kecamatan (slugs) whose TLN groups this facilitator accompanies. */
  kecamatan: string[]
}

export const DISTRICT = { name: 'Kabupaten Lombok Tengah', code: '52.02', province: 'Nusa Tenggara Barat' } as const

export const KECAMATAN: readonly Kecamatan[] = [
  { slug: 'praya-barat', name: 'Praya Barat', code: '52.02.01' },
  { slug: 'pujut', name: 'Pujut', code: '52.02.02' },
  { slug: 'praya-timur', name: 'Praya Timur', code: '52.02.03' },
  { slug: 'janapria', name: 'Janapria', code: '52.02.04' },
  { slug: 'kopang', name: 'Kopang', code: '52.02.05' },
  { slug: 'praya', name: 'Praya', code: '52.02.06' },
  { slug: 'jonggat', name: 'Jonggat', code: '52.02.07' },
  { slug: 'pringgarata', name: 'Pringgarata', code: '52.02.08' },
  { slug: 'batukliang', name: 'Batukliang', code: '52.02.09' },
  { slug: 'praya-tengah', name: 'Praya Tengah', code: '52.02.10' },
  { slug: 'praya-barat-daya', name: 'Praya Barat Daya', code: '52.02.11' },
  { slug: 'batukliang-utara', name: 'Batukliang Utara', code: '52.02.12' },
]

export const SCHOOLS: readonly School[] = [
  { npsn: '99020101', name: 'TK Pertiwi Penujak', type: 'TK', kecamatan: 'praya-barat' },
  { npsn: '99020102', name: 'RA Nurul Huda Batujai', type: 'RA', kecamatan: 'praya-barat' },
  { npsn: '99020201', name: 'KB Bintang Kecil Sengkol', type: 'KB', kecamatan: 'pujut' },
  { npsn: '99020202', name: 'TK Harapan Bangsa Kuta', type: 'TK', kecamatan: 'pujut' },
  { npsn: '99020301', name: 'SPS Melati Ganti', type: 'SPS', kecamatan: 'praya-timur' },
  { npsn: '99020302', name: 'TK Tunas Muda Beleka', type: 'TK', kecamatan: 'praya-timur' },
  { npsn: '99020401', name: 'KB Mawar Janapria', type: 'KB', kecamatan: 'janapria' },
  { npsn: '99020402', name: 'TPA Al-Ikhlas Lekor', type: 'TPA', kecamatan: 'janapria' },
  { npsn: '99020501', name: 'TK Kartini Kopang', type: 'TK', kecamatan: 'kopang' },
  { npsn: '99020502', name: 'RA Al-Falah Wajageseng', type: 'RA', kecamatan: 'kopang' },
  { npsn: '99020601', name: 'TK Cahaya Praya', type: 'TK', kecamatan: 'praya' },
  { npsn: '99020602', name: 'KB Permata Hati Gerunung', type: 'KB', kecamatan: 'praya' },
  { npsn: '99020701', name: 'TK Bunga Rampai Puyung', type: 'TK', kecamatan: 'jonggat' },
  { npsn: '99020702', name: 'SPS Kenanga Ubung', type: 'SPS', kecamatan: 'jonggat' },
  { npsn: '99020801', name: 'KB Pelangi Pringgarata', type: 'KB', kecamatan: 'pringgarata' },
  { npsn: '99020802', name: 'TK Dharma Wanita Sintung', type: 'TK', kecamatan: 'pringgarata' },
  { npsn: '99020901', name: 'TPA Darussalam Mantang', type: 'TPA', kecamatan: 'batukliang' },
  { npsn: '99020902', name: 'TK Ceria Barabali', type: 'TK', kecamatan: 'batukliang' },
  { npsn: '99021001', name: 'RA Miftahul Jannah Mertak Tombok', type: 'RA', kecamatan: 'praya-tengah' },
  { npsn: '99021002', name: 'KB Anggrek Batunyala', type: 'KB', kecamatan: 'praya-tengah' },
  { npsn: '99021101', name: 'TK Mutiara Darek', type: 'TK', kecamatan: 'praya-barat-daya' },
  { npsn: '99021102', name: 'SPS Seroja Ranggagata', type: 'SPS', kecamatan: 'praya-barat-daya' },
  { npsn: '99021201', name: 'KB Sakura Aik Berik', type: 'KB', kecamatan: 'batukliang-utara' },
  { npsn: '99021202', name: 'TK Sejahtera Setiling', type: 'TK', kecamatan: 'batukliang-utara' },
]

/** 60 participants: five per kecamatan, three at the first school and two at the second. */
export const TEACHERS: readonly Teacher[] = [
  { id: 'ptk-001', name: 'Baiq Nurhasanah', npsn: '99020101' },
  { id: 'ptk-002', name: 'Siti Aisyah', npsn: '99020101' },
  { id: 'ptk-003', name: 'Sri Wahyuni', npsn: '99020101' },
  { id: 'ptk-004', name: 'Nurul Hidayati', npsn: '99020102' },
  { id: 'ptk-005', name: 'Hj. Rohmah', npsn: '99020102' },
  { id: 'ptk-006', name: 'Baiq Rahmawati', npsn: '99020201' },
  { id: 'ptk-007', name: 'Lale Sumiati', npsn: '99020201' },
  { id: 'ptk-008', name: 'Mariana', npsn: '99020201' },
  { id: 'ptk-009', name: 'Ernawati', npsn: '99020202' },
  { id: 'ptk-010', name: 'Rabiatul Adawiyah', npsn: '99020202' },
  { id: 'ptk-011', name: 'Baiq Halimatussa’diah', npsn: '99020301' },
  { id: 'ptk-012', name: 'Nurhayati', npsn: '99020301' },
  { id: 'ptk-013', name: 'Sumarni', npsn: '99020301' },
  { id: 'ptk-014', name: 'Husnul Khotimah', npsn: '99020302' },
  { id: 'ptk-015', name: 'Lalu Ahmad Fauzi', npsn: '99020302' },
  { id: 'ptk-016', name: 'Baiq Mulyani', npsn: '99020401' },
  { id: 'ptk-017', name: 'Fitriani', npsn: '99020401' },
  { id: 'ptk-018', name: 'Saodah', npsn: '99020401' },
  { id: 'ptk-019', name: 'Zohriah', npsn: '99020402' },
  { id: 'ptk-020', name: 'Nur Aini', npsn: '99020402' },
  { id: 'ptk-021', name: 'Baiq Sri Handayani', npsn: '99020501' },
  { id: 'ptk-022', name: 'Rukmini', npsn: '99020501' },
  { id: 'ptk-023', name: 'Hartini', npsn: '99020501' },
  { id: 'ptk-024', name: 'Hj. Mahnun', npsn: '99020502' },
  { id: 'ptk-025', name: 'Ulfa Yuliana', npsn: '99020502' },
  { id: 'ptk-026', name: 'Baiq Yuliana', npsn: '99020601' },
  { id: 'ptk-027', name: 'Endang Susilawati', npsn: '99020601' },
  { id: 'ptk-028', name: 'Murniati', npsn: '99020601' },
  { id: 'ptk-029', name: 'Suhaemi', npsn: '99020602' },
  { id: 'ptk-030', name: 'Irmawati', npsn: '99020602' },
  { id: 'ptk-031', name: 'Baiq Fatmawati', npsn: '99020701' },
  { id: 'ptk-032', name: 'Sahnun', npsn: '99020701' },
  { id: 'ptk-033', name: 'Wiwin Sulistiawati', npsn: '99020701' },
  { id: 'ptk-034', name: 'Inaq Hadijah', npsn: '99020702' },
  { id: 'ptk-035', name: 'Muhammad Zainuddin', npsn: '99020702' },
  { id: 'ptk-036', name: 'Baiq Nuraeni', npsn: '99020801' },
  { id: 'ptk-037', name: 'Marlina', npsn: '99020801' },
  { id: 'ptk-038', name: 'Sukmawati', npsn: '99020801' },
  { id: 'ptk-039', name: 'Rauhun', npsn: '99020802' },
  { id: 'ptk-040', name: 'Eka Puspitasari', npsn: '99020802' },
  { id: 'ptk-041', name: 'Baiq Wardah', npsn: '99020901' },
  { id: 'ptk-042', name: 'Hamidah', npsn: '99020901' },
  { id: 'ptk-043', name: 'Yuniarti', npsn: '99020901' },
  { id: 'ptk-044', name: 'Kartini', npsn: '99020902' },
  { id: 'ptk-045', name: 'Lalu Sahrul Ramadhan', npsn: '99020902' },
  { id: 'ptk-046', name: 'Baiq Suhartini', npsn: '99021001' },
  { id: 'ptk-047', name: 'Nurjannah', npsn: '99021001' },
  { id: 'ptk-048', name: 'Rosidah', npsn: '99021001' },
  { id: 'ptk-049', name: 'Sri Rahayu', npsn: '99021002' },
  { id: 'ptk-050', name: 'Ida Laila', npsn: '99021002' },
  { id: 'ptk-051', name: 'Baiq Lina Marlina', npsn: '99021101' },
  { id: 'ptk-052', name: 'Maesarah', npsn: '99021101' },
  { id: 'ptk-053', name: 'Hulaemi', npsn: '99021101' },
  { id: 'ptk-054', name: 'Ratna Dewi', npsn: '99021102' },
  { id: 'ptk-055', name: 'Sarmini', npsn: '99021102' },
  { id: 'ptk-056', name: 'Baiq Ika Safitri', npsn: '99021201' },
  { id: 'ptk-057', name: 'Hariani', npsn: '99021201' },
  { id: 'ptk-058', name: 'Mahyun', npsn: '99021201' },
  { id: 'ptk-059', name: 'Nurul Fitriah', npsn: '99021202' },
  { id: 'ptk-060', name: 'Sukriah', npsn: '99021202' },
]

/** Narasumber / instruktur and Fasda facilitators, each accompanying three TLN groups. */
export const FACILITATORS: readonly Facilitator[] = [
  { id: 'fas-01', name: 'Dra. Hj. Aminah, M.Pd.', kecamatan: ['praya', 'praya-tengah', 'praya-timur'] },
  { id: 'fas-02', name: 'Lalu Muhammad Hasan, M.Pd.', kecamatan: ['praya-barat', 'praya-barat-daya', 'pujut'] },
  { id: 'fas-03', name: 'Baiq Titin Suhartini, S.Pd., M.Pd.', kecamatan: ['jonggat', 'pringgarata', 'batukliang'] },
  { id: 'fas-04', name: 'Dr. Nurul Hikmah, M.Pd.', kecamatan: ['kopang', 'janapria', 'batukliang-utara'] },
]

/**
 * The learning-media workshop ran at three sites (Jonggat, Praya, Kopang, per the paper); each
 * kecamatan goes to the nearest *(made up: the paper does not say who went where)*.
 */
export const MEDIA_WORKSHOP_SITES: Readonly<Record<string, readonly string[]>> = {
  jonggat: ['jonggat', 'pringgarata', 'batukliang', 'batukliang-utara'],
  praya: ['praya', 'praya-barat', 'praya-barat-daya', 'pujut', 'praya-tengah'],
  kopang: ['kopang', 'janapria', 'praya-timur'],
}

/** At most this many colleagues a demo teacher mentors in the 15-day challenge. */
export const MAX_DEMO_MENTEES = 3

/** Names of the colleagues the participants mentor at their own schools (invented, as every demo name is). */
const COLLEAGUE_NAMES: readonly string[] = [
  'Baiq Fitriani', 'Nurul Aini', 'Lale Maryam', 'Siti Hajar', 'Sumarni', 'Hj. Nurhayati', 'Baiq Wulandari',
  'Rukmini', 'Sri Rahayu', 'Lale Nursyamsi', 'Siti Zubaidah', 'Murniati', 'Baiq Rosmiati', 'Hartini',
  'Nur Laili', 'Lale Hafsah', 'Siti Sarah', 'Inaq Mahnun', 'Baiq Sulastri', 'Juhriah', 'Nurmala',
  'Lale Yuliana', 'Siti Komariah', 'Hamidah', 'Baiq Ernawati', 'Samsiah', 'Rini Handayani', 'Lale Zaenab',
  'Siti Marwah', 'Hj. Saodah', 'Baiq Juniarti', 'Nurjannah', 'Lale Rahmi', 'Siti Muslimah', 'Kartini',
  'Baiq Hairani', 'Munawarah', 'Lale Suhartini', 'Siti Fatimah', 'Mahyuni', 'Baiq Saptiani', 'Rohani',
  'Lale Husnaini', 'Siti Rabiah', 'Masnah',
]

/**
 * The `m`-th colleague (1 to {@link MAX_DEMO_MENTEES}) a teacher mentors: the account the TLN
 * app names them by in the `mentored` statements, and their name, which the mentoring form would
 * have recorded (the demo organisation makes them TLN persons at the teacher's school).
 */
export function demoColleague(teacher: Teacher, m: number): { accountName: string; name: string } {
  const index = TEACHERS.indexOf(teacher) * MAX_DEMO_MENTEES + m - 1
  return { accountName: `${teacher.npsn}-rekan-${teacher.id.slice(-3)}-${m}`, name: COLLEAGUE_NAMES[index % COLLEAGUE_NAMES.length]! }
}

import type { BilingualText, EngineStatus } from '@tln/competence'

/**
 * The data status's word on skipped statements (`EngineStatus.skipped`: stored in the LRS, left
 * out of the numbers, listed by `tln competence skipped`), one text for the page's status box and
 * the PDF's status line; undefined when there are none. Numbers in the Indonesian format on both.
 */
export function skippedNotice(engine: EngineStatus): BilingualText | undefined {
  if (engine.skipped === undefined || engine.skipped === 0) return undefined
  const n = engine.skipped.toLocaleString('id-ID')
  return {
    id: `${n} pernyataan tidak dapat dihitung; operator dapat melihatnya dengan tln competence skipped`,
    en: `${n} statements could not be counted; an operator can list them with tln competence skipped`,
  }
}

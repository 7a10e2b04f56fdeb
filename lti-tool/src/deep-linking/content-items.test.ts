import { describe, expect, it } from 'vitest'
import type { CatalogueModule, CatalogueTask } from '../catalogue.ts'
import { DEFAULT_TASKS } from '../tasks/default-tasks.ts'
import { contentItemsFor } from './content-items.ts'

const RPPH: CatalogueTask = {
  kind: 'task', id: 'task-rpph', taskType: 'RPPH', scoreMaximum: 100,
  title: { id: 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', en: 'Daily lesson plan (RPPH)' }, description: { id: 'Rencana satu hari.', en: 'One day’s plan.' },
}
const PROTA: CatalogueTask = { ...RPPH, id: 'task-prota', taskType: 'PROTA' }
const MODULE: CatalogueModule = { kind: 'module', id: 'tln-2026.dasar.konsep-dasar-paud', title: { id: 'Konsep Dasar PAUD', en: 'PAUD fundamentals' }, description: { id: 'x', en: 'x' } }

describe('contentItemsFor (Deep Linking 2.0 §3.3 ltiResourceLink)', () => {
  it('makes a graded task a link with custom parameters naming it and a lineItem (scoreMaximum 100)', () => {
    const [item] = contentItemsFor([RPPH], { publicUrl: 'https://tln.example' })
    expect(item).toEqual({
      type: 'ltiResourceLink', title: 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', text: expect.any(String),
      url: 'https://tln.example/lti/items/task-rpph',
      custom: { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' },
      lineItem: { scoreMaximum: 100, label: 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', resourceId: 'task-rpph', tag: 'RPPH' },
    })
  })

  it('gives a module no lineItem, and no task one when the platform takes none (accept_lineitem false)', () => {
    expect(contentItemsFor([MODULE], { publicUrl: 'https://tln.example' })[0]!.lineItem).toBeUndefined()
    expect(contentItemsFor([PROTA], { publicUrl: 'https://tln.example', acceptLineItem: false })[0]!.lineItem).toBeUndefined()
  })

  it('keeps the default task keys that travelled to LMSs in the first catalogue (resourceId = item key, AGS 2.0 §3.2.7)', () => {
    expect(DEFAULT_TASKS.map((t) => [t.key, t.taskType])).toEqual([
      ['task-prota', 'PROTA'], ['task-promes', 'PROMES'], ['task-rppm', 'RPPM'], ['task-rpph', 'RPPH'], ['task-media', 'MEDIA'], ['task-blog', 'BLOG'],
    ])
  })
})

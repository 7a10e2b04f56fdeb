import { describe, expect, it } from 'vitest'
import { CATALOGUE, catalogueItem } from '../catalogue.ts'
import { contentItemsFor } from './content-items.ts'

describe('contentItemsFor (Deep Linking 2.0 §3.3 ltiResourceLink)', () => {
  it('makes a graded task a link with custom parameters naming it and a lineItem (scoreMaximum 100)', () => {
    const [item] = contentItemsFor([catalogueItem('task-rpph')!], { publicUrl: 'https://tln.example' })
    expect(item).toEqual({
      type: 'ltiResourceLink', title: 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', text: expect.any(String),
      url: 'https://tln.example/lti/items/task-rpph',
      custom: { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' },
      lineItem: { scoreMaximum: 100, label: 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', resourceId: 'task-rpph', tag: 'RPPH' },
    })
  })

  it('gives a module no lineItem, and no task one when the platform takes none (accept_lineitem false)', () => {
    expect(contentItemsFor([catalogueItem('dbd-in-service-1')!], { publicUrl: 'https://tln.example' })[0]!.lineItem).toBeUndefined()
    expect(contentItemsFor([catalogueItem('task-prota')!], { publicUrl: 'https://tln.example', acceptLineItem: false })[0]!.lineItem).toBeUndefined()
  })

  it('covers the lesson-plan tasks, learning media and blog of DOMAIN.md, each graded out of 100, with unique ids', () => {
    const tasks = CATALOGUE.filter((i) => i.kind === 'task')
    expect(tasks.map((t) => t.kind === 'task' && t.taskType)).toEqual(['PROTA', 'PROMES', 'RPPM', 'RPPH', 'MEDIA', 'BLOG'])
    expect(tasks.every((t) => t.kind === 'task' && t.scoreMaximum === 100)).toBe(true)
    expect(new Set(CATALOGUE.map((i) => i.id)).size).toBe(CATALOGUE.length)
  })
})

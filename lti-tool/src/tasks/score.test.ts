import { describe, expect, it } from 'vitest'
import { DEFAULT_TASKS } from './default-tasks.ts'
import { levelsFromForm, rubricScore } from './score.ts'
import { checkRubric } from './types.ts'

const rpph = DEFAULT_TASKS.find((t) => t.key === 'task-rpph')!.rubric

describe('rubricScore (weighted, scaled 0..1, raw out of 100)', () => {
  it('gives 1 and 100 for the top level everywhere, and passes', () => {
    const top = Object.fromEntries(rpph.criteria.map((c) => [c.code, Math.max(...c.levels.map((l) => l.points))]))
    expect(rubricScore(rpph, top, 0.75)).toEqual({ scaled: 1, raw: 100, passed: true })
  })

  it('weights criteria', () => {
    const rubric = checkRubric({ criteria: [
      { code: 'a', indicator: 'PED.C.2', title: { id: 'a', en: 'a' }, weight: 3, levels: [{ label: { id: '1', en: '1' }, points: 1 }, { label: { id: '4', en: '4' }, points: 4 }] },
      { code: 'b', indicator: 'PED.C.3', title: { id: 'b', en: 'b' }, weight: 1, levels: [{ label: { id: '1', en: '1' }, points: 1 }, { label: { id: '4', en: '4' }, points: 4 }] },
    ] })
    // (3·1 + 1·0.25) / 4 = 0.8125
    expect(rubricScore(rubric, { a: 4, b: 1 }, 0.75)).toEqual({ scaled: 0.8125, raw: 81.25, passed: true })
    expect(rubricScore(rubric, { a: 1, b: 4 }, 0.75)).toEqual({ scaled: 0.4375, raw: 43.75, passed: false })
  })

  it('refuses a missing or unknown level', () => {
    expect(() => rubricScore(rpph, {}, 0.75)).toThrow(TypeError)
  })

  it('reads levels from a form and names the criteria left blank', () => {
    const [first, second] = rpph.criteria
    const { levels, missing } = levelsFromForm(rpph, { [`level.${first!.code}`]: '3', [`level.${second!.code}`]: '9' })
    expect(levels).toEqual({ [first!.code]: 3 })
    expect(missing).toContain(second!.code)
  })
})

describe('default rubrics (data)', () => {
  it('are valid and link every criterion to an indicator code', () => {
    for (const task of DEFAULT_TASKS) {
      expect(() => checkRubric(task.rubric)).not.toThrow()
      for (const c of task.rubric.criteria) expect(c.indicator).toMatch(/^(PED|KEP|SOS|PRO)\.[A-Z]\.\d+$/)
    }
  })
})

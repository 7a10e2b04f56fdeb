/**
 * Builds the framework tree from a flat list of nodes that name their parent, as the CSV form and
 * CASE `isChildOf` associations give them, remembering where each node came from so that issues
 * found later by `validateFramework` can point back at the row or the CFItem.
 */
import type { BilingualText, Competence, Indicator, NodeLevel, SubCompetence } from './types.ts'

export interface TreeInput<Origin> {
  readonly code: string
  readonly parentCode: string | undefined
  /** The level the source declares (CSV `level`); when absent it follows from the depth. */
  readonly level?: NodeLevel
  readonly title: BilingualText
  readonly version: string
  readonly verify: boolean
  /** Sibling order (CASE `sequenceNumber`, CSV row order). */
  readonly order: number
  readonly origin: Origin
}

/** A structural problem of the flat list, on the node it came from. */
export interface TreeProblem<Origin> {
  readonly origin: Origin
  readonly field: 'parent' | 'level'
  readonly rule: 'parent-exists' | 'level-matches-parent' | 'depth'
  readonly requirement: string
}

export interface BuiltTree<Origin> {
  readonly competences: Competence[]
  /** Framework path of each node (`competences[0].subCompetences[1]`) → where it came from. */
  readonly origins: Map<string, Origin>
  readonly problems: TreeProblem<Origin>[]
}

const LEVELS: readonly NodeLevel[] = ['competence', 'sub-competence', 'indicator']

function node<Origin>(input: TreeInput<Origin>): Indicator {
  return { code: input.code, title: input.title, version: input.version, ...(input.verify ? { verify: true } : {}) }
}

/**
 * Nests `inputs` under their parents (at most three levels) in sibling order. Nodes whose parent is
 * missing, or whose declared level does not match their depth, are reported and left out.
 */
export function buildTree<Origin>(inputs: readonly TreeInput<Origin>[]): BuiltTree<Origin> {
  const problems: TreeProblem<Origin>[] = []
  const origins = new Map<string, Origin>()
  const byCode = new Map<string, TreeInput<Origin>>()
  for (const input of inputs) if (!byCode.has(input.code)) byCode.set(input.code, input)
  const children = new Map<string | undefined, TreeInput<Origin>[]>()
  for (const input of inputs) {
    if (input.parentCode !== undefined && !byCode.has(input.parentCode)) {
      problems.push({ origin: input.origin, field: 'parent', rule: 'parent-exists', requirement: `names the parent ${input.parentCode}, which is not a node of this framework` })
      continue
    }
    const list = children.get(input.parentCode) ?? []
    list.push(input)
    children.set(input.parentCode, list)
  }
  const ordered = (parent: string | undefined): TreeInput<Origin>[] =>
    [...(children.get(parent) ?? [])].map((input, index) => ({ input, index })).sort((a, b) => a.input.order - b.input.order || a.index - b.index).map(({ input }) => input)
  const fits = (input: TreeInput<Origin>, depth: number): boolean => {
    const expected = LEVELS[depth]
    if (expected === undefined) {
      problems.push({ origin: input.origin, field: 'parent', rule: 'depth', requirement: 'is nested deeper than indicator; a framework has three levels (competence, sub-competence, indicator)' })
      return false
    }
    if (input.level !== undefined && input.level !== expected) {
      problems.push({ origin: input.origin, field: 'level', rule: 'level-matches-parent', requirement: `is declared a ${input.level} but its place in the tree makes it a ${expected}` })
      return false
    }
    return true
  }
  const reportBelow = (code: string, depth: number): void => {
    for (const child of ordered(code)) if (fits(child, depth)) reportBelow(child.code, depth + 1)
  }
  const competences: Competence[] = []
  for (const c of ordered(undefined)) {
    if (!fits(c, 0)) continue
    const cPath = `competences[${competences.length}]`
    origins.set(cPath, c.origin)
    const subCompetences: SubCompetence[] = []
    for (const s of byCode.get(c.code) === c ? ordered(c.code) : []) {
      if (!fits(s, 1)) continue
      const sPath = `${cPath}.subCompetences[${subCompetences.length}]`
      origins.set(sPath, s.origin)
      const indicators: Indicator[] = []
      for (const n of byCode.get(s.code) === s ? ordered(s.code) : []) {
        if (!fits(n, 2)) continue
        origins.set(`${sPath}.indicators[${indicators.length}]`, n.origin)
        indicators.push(node(n))
        reportBelow(n.code, 3)
      }
      subCompetences.push({ ...node(s), indicators })
    }
    competences.push({ ...node(c), subCompetences })
  }
  return { competences, origins, problems }
}

/**
 * The origin of the node a framework path points into, and the rest of the path
 * (`competences[0].subCompetences[1].title.en` → origin of that sub-competence, `title.en`).
 */
export function originOf<Origin>(origins: ReadonlyMap<string, Origin>, path: string): { origin: Origin; field: string } | undefined {
  let best: string | undefined
  for (const key of origins.keys()) {
    if ((path === key || path.startsWith(`${key}.`)) && (best === undefined || key.length > best.length)) best = key
  }
  if (best === undefined) return undefined
  return { origin: origins.get(best)!, field: path.slice(best.length + 1) }
}

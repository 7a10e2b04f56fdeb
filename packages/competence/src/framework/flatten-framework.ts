/**
 * The framework tree as a list of nodes, parents before children, siblings in order: the shape of
 * the CSV form and of CASE CFItems.
 */
import type { FlatNode, Framework, FrameworkNode, NodeLevel } from './types.ts'

function flat(node: FrameworkNode, parentCode: string | undefined, level: NodeLevel, position: number): FlatNode {
  return { code: node.code, parentCode, level, title: node.title, version: node.version, verify: node.verify === true, position }
}

/** Every competence, sub-competence and indicator, depth-first, parents before children. */
export function flattenFramework(framework: Framework): FlatNode[] {
  const out: FlatNode[] = []
  framework.competences.forEach((c, i) => {
    out.push(flat(c, undefined, 'competence', i + 1))
    c.subCompetences.forEach((s, j) => {
      out.push(flat(s, c.code, 'sub-competence', j + 1))
      s.indicators.forEach((n, k) => out.push(flat(n, s.code, 'indicator', k + 1)))
    })
  })
  return out
}

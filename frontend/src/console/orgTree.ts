// The organisation tree as the console's pickers list it: every node once, in tree order,
// each after its parent and indented by its depth.

/** What a node needs to be placed: its code and its parent's ("" or absent at the top). */
export interface TreeNode {
  code: string
  parent?: string
}

/**
 * inTreeOrder lists nodes parents first, each with its depth under the top; a node whose
 * parent is not among them counts as a top node, and a loop never repeats one.
 */
export function inTreeOrder<N extends TreeNode>(nodes: N[]): { node: N; depth: number }[] {
  const codes = new Set(nodes.map((n) => n.code))
  const out: { node: N; depth: number }[] = []
  const seen = new Set<string>()
  const walk = (parent: string | null, depth: number) => {
    for (const n of nodes) {
      const top = !n.parent || !codes.has(n.parent)
      if (seen.has(n.code) || (parent === null ? !top : n.parent !== parent)) continue
      seen.add(n.code)
      out.push({ node: n, depth })
      walk(n.code, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

/** indent is a name as a picker shows it at a depth: one full-width space a level. */
export function indent(name: string, depth: number): string {
  return '\u3000'.repeat(depth) + name
}

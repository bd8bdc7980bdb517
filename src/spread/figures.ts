import type { CascadeNode } from './cascade.ts';

/** The per-story figures of SPREAD.md, with exactly its field names, in its order. */
export interface SpreadFigures {
  size: number;
  reachedPeople: number;
  touches: number;
  depth: number;
  maxBreadth: number;
  structuralVirality: number;
  departmentsReached: number;
  departmentCoverage: number | null;
  departmentArrivals: { departmentId: string; at: string; afterSeconds: number }[];
  crossDepartmentEdges: number;
  eiIndex: number | null;
  departmentEntropy: number | null;
  flows: { from: string; to: string; count: number }[];
}

/**
 * Everything about a tree that needs the whole tree, computed once in linear time and cached by
 * the projection until the story's next node. The figures that depend on the organisation at
 * evaluation time (coverage, entropy's denominator) are finished by `finishFigures`.
 */
export interface TreeSummary {
  size: number;
  depth: number;
  maxBreadth: number;
  /** Σ over tree edges of s·(n − s) */
  wiener: number;
  /** −Σ p·ln p over departments (not yet divided by ln(departments open)) */
  entropyNats: number;
  arrivals: { departmentId: string; atMs: number }[];
  crossEdges: number;
  withinEdges: number;
  flows: { from: string; to: string; count: number }[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `nodes` in the order they joined the tree, root first (a parent always joins before its
 * children, so the reverse order visits every child before its parent). O(n).
 */
export function summarizeTree(nodes: readonly CascadeNode[]): TreeSummary {
  const n = nodes.length;
  if (n === 0) throw new Error('a cascade always has its root');
  const index = new Map<string, number>();
  nodes.forEach((node, i) => index.set(node.personId, i));
  const below = new Array<number>(n).fill(1);
  let wiener = 0;
  for (let i = n - 1; i > 0; i--) {
    const s = below[i]!;
    wiener += s * (n - s);
    const p = index.get(nodes[i]!.parentId!);
    if (p === undefined) throw new Error(`node ${i} has a parent outside the tree`);
    below[p]! += s;
  }
  const perDepth = new Map<number, number>();
  const perDept = new Map<string, number>();
  const firstAt = new Map<string, number>();
  const flows = new Map<string, { from: string; to: string; count: number }>();
  let depth = 0;
  let crossEdges = 0;
  let withinEdges = 0;
  for (const node of nodes) {
    depth = Math.max(depth, node.depth);
    perDepth.set(node.depth, (perDepth.get(node.depth) ?? 0) + 1);
    perDept.set(node.departmentId, (perDept.get(node.departmentId) ?? 0) + 1);
    const seen = firstAt.get(node.departmentId);
    if (seen === undefined || node.atMs < seen) firstAt.set(node.departmentId, node.atMs);
    if (node.parentId !== null) {
      const from = node.parentDepartmentId!;
      if (from === node.departmentId) withinEdges++;
      else crossEdges++;
      const key = `${from}\u0000${node.departmentId}`;
      const f = flows.get(key);
      if (f) f.count++;
      else flows.set(key, { from, to: node.departmentId, count: 1 });
    }
  }
  let plnp = 0;
  for (const count of perDept.values()) {
    const p = count / n;
    plnp += p * Math.log(p);
  }
  return {
    size: n,
    depth,
    maxBreadth: Math.max(...perDepth.values()),
    wiener,
    entropyNats: 0 - plnp, // `0 -` so a single department gives 0, not -0
    arrivals: [...firstAt].map(([departmentId, atMs]) => ({ departmentId, atMs })).sort((a, b) => a.atMs - b.atMs || byString(a.departmentId, b.departmentId)),
    crossEdges,
    withinEdges,
    flows: [...flows.values()].sort((a, b) => byString(a.from, b.from) || byString(a.to, b.to)),
  };
}

/** Mean distance over all pairs: W / (n(n−1)/2); 0 for a lone teller. */
export function viralityOf(s: Pick<TreeSummary, 'size' | 'wiener'>): number {
  return s.size <= 1 ? 0 : s.wiener / ((s.size * (s.size - 1)) / 2);
}

/** The figures, given the cached summary, the touches, t0 and the departments open now. */
export function finishFigures(s: TreeSummary, touches: number, t0Ms: number, departmentsOpen: number): SpreadFigures {
  const n = s.size;
  const edges = s.crossEdges + s.withinEdges;
  const reached = s.arrivals.length;
  return {
    size: n,
    reachedPeople: n - 1,
    touches,
    depth: s.depth,
    maxBreadth: s.maxBreadth,
    structuralVirality: viralityOf(s),
    departmentsReached: reached,
    departmentCoverage: departmentsOpen > 0 ? reached / departmentsOpen : null,
    departmentArrivals: s.arrivals.map((a) => ({ departmentId: a.departmentId, at: new Date(a.atMs).toISOString(), afterSeconds: (a.atMs - t0Ms) / 1000 })),
    crossDepartmentEdges: s.crossEdges,
    eiIndex: edges === 0 ? null : (s.crossEdges - s.withinEdges) / edges,
    departmentEntropy: departmentsOpen < 2 ? null : s.entropyNats / Math.log(departmentsOpen),
    flows: s.flows.map((f) => ({ ...f })),
  };
}

export function spreadFigures(nodes: readonly CascadeNode[], touches: number, t0Ms: number, departmentsOpen: number): SpreadFigures {
  return finishFigures(summarizeTree(nodes), touches, t0Ms, departmentsOpen);
}

/** Size buckets for comparing like with like (Juul & Ugander): 2–3, 4–7, 8–15, …; 1 is its own. */
export function sizeBucket(size: number): number {
  return size < 2 ? 0 : Math.floor(Math.log2(size));
}

export function bucketLabel(bucket: number): string {
  return bucket === 0 ? '1' : `${2 ** bucket}–${2 ** (bucket + 1) - 1}`;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

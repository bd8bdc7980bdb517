/**
 * The Wiener index W (sum of all pairwise distances, SPREAD.md) kept up to date as leaves join.
 *
 * A leaf x joining under p, in a tree of n nodes, adds its distance to every node v:
 * d(x, v) = 1 + d(p, v) = 1 + depth(p) + depth(v) − 2·depth(lca(p, v)). Summed over the n nodes,
 * Σ depth(v) = T (the depth sum before the insert), and Σ depth(lca(p, v)) counts, for each edge e
 * on the path from p up to the root, the nodes below e: S = Σ s(e). Hence
 *   ΔW = n + n·depth(p) + T − 2·S,
 * which needs only the subtree sizes along p's path (O(depth)) and the tree's depth sum.
 */
export function wienerGrowth(n: number, parentDepth: number, depthSum: number, pathSubtreeSum: number): number {
  return n + n * parentDepth + depthSum - 2 * pathSubtreeSum;
}

/**
 * A tree grown leaf by leaf with W kept incrementally: the in-memory form of what the spread
 * projection stores (each node's subtree size, the depth sum). For tests and benchmarks.
 */
export class IncrementalWiener {
  private readonly parent: number[] = [-1];
  private readonly depth: number[] = [0];
  private readonly below: number[] = [1];
  private depthSum = 0;
  wiener = 0;

  get size(): number {
    return this.parent.length;
  }

  /** Adds a leaf under node `p` (nodes are numbered in the order they joined, root 0); returns its number. */
  addLeaf(p: number): number {
    const n = this.size;
    let s = 0;
    for (let v = p; v > 0; v = this.parent[v]!) s += this.below[v]!;
    this.wiener += wienerGrowth(n, this.depth[p]!, this.depthSum, s);
    for (let v = p; v >= 0; v = this.parent[v]!) this.below[v]! += 1;
    this.parent.push(p);
    this.depth.push(this.depth[p]! + 1);
    this.below.push(1);
    this.depthSum += this.depth[p]! + 1;
    return n;
  }
}

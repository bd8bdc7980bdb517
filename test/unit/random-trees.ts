import fc from 'fast-check';

/** A random tree of 1..maxNodes nodes as parent indices: node i > 0 hangs under some node before it. */
export const treeArb = (maxNodes: number) =>
  fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: 0, max: i - 1 })))),
  );

/** SPREAD.md's definition read literally: the mean over all pairs of their distance, by BFS from every node. */
export function meanPairwiseDistanceByBfs(parents: number[]): number {
  const n = parents.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  parents.forEach((p, i) => {
    if (p >= 0) {
      adj[i]!.push(p);
      adj[p]!.push(i);
    }
  });
  let sum = 0;
  for (let s = 0; s < n; s++) {
    const dist = new Array<number>(n).fill(-1);
    dist[s] = 0;
    const queue = [s];
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q]!;
      for (const v of adj[u]!) if (dist[v] === -1) {
        dist[v] = dist[u]! + 1;
        queue.push(v);
      }
    }
    for (let t = s + 1; t < n; t++) sum += dist[t]!;
  }
  return n <= 1 ? 0 : sum / ((n * (n - 1)) / 2);
}

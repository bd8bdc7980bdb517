/**
 * The cascade of one story (SPREAD.md, "The cascade of one story"), built one exposure at a time.
 * Pure: the caller says where the tree lives (a Map in tests, SQLite in the projection) and what
 * department a person belongs to at the exposure's log position.
 */

export interface CascadeNode {
  personId: string;
  /** null for the root (the teller) */
  parentId: string | null;
  depth: number;
  /** the person's department at the moment they were added; later transfers do not move them */
  departmentId: string;
  /** department of the parent node (null for the root), kept so flows need no join */
  parentDepartmentId: string | null;
  /** recorded time (ms since epoch) they joined the tree */
  atMs: number;
}

export interface Exposure {
  /** X, the person exposed */
  personId: string;
  /** Y, the source, when the event names one */
  sourceId?: string | undefined;
  atMs: number;
}

/** What the cascade rules read of a node already in the tree (a projection may keep no more). */
export type KnownNode = Pick<CascadeNode, 'personId' | 'depth' | 'departmentId'>;

export interface TreeLookup {
  get(personId: string): KnownNode | undefined;
}

/** The department a person was in, at the position of the exposure being applied. */
export type DepartmentOf = (personId: string) => string;

export function rootNode(tellerId: string, departmentId: string, t0Ms: number): CascadeNode {
  return { personId: tellerId, parentId: null, depth: 0, departmentId, parentDepartmentId: null, atMs: t0Ms };
}

/**
 * The nodes one exposure adds, in the order they join the tree (an unknown source first).
 * An empty list means the exposure is a touch only. Constant time: at most two look-ups.
 */
export function nodesForExposure(tree: TreeLookup, root: KnownNode, e: Exposure, departmentOf: DepartmentOf): CascadeNode[] {
  const added: CascadeNode[] = [];
  let parent: KnownNode = root;
  if (e.sourceId !== undefined && e.sourceId !== e.personId) {
    const known = tree.get(e.sourceId);
    if (known) parent = known;
    else {
      // rule 1: Y evidently knew the story, so Y joins first, under the root
      const source: CascadeNode = {
        personId: e.sourceId,
        parentId: root.personId,
        depth: root.depth + 1,
        departmentId: departmentOf(e.sourceId),
        parentDepartmentId: root.departmentId,
        atMs: e.atMs,
      };
      added.push(source);
      parent = source;
    }
  }
  if (e.personId === e.sourceId || tree.get(e.personId)) return added; // rule 2: a touch
  added.push({
    personId: e.personId,
    parentId: parent.personId,
    depth: parent.depth + 1,
    departmentId: departmentOf(e.personId),
    parentDepartmentId: parent.departmentId,
    atMs: e.atMs,
  });
  return added;
}

/** An in-memory cascade: for tests, benchmarks and the property checks. */
export class MemoryCascade implements TreeLookup {
  readonly nodes: CascadeNode[] = [];
  private readonly byPerson = new Map<string, CascadeNode>();
  touches = 0;
  readonly root: CascadeNode;

  constructor(tellerId: string, departmentId: string, t0Ms: number) {
    this.root = rootNode(tellerId, departmentId, t0Ms);
    this.add(this.root);
  }

  get(personId: string): CascadeNode | undefined {
    return this.byPerson.get(personId);
  }

  expose(e: Exposure, departmentOf: DepartmentOf): CascadeNode[] {
    this.touches += 1;
    const added = nodesForExposure(this, this.root, e, departmentOf);
    for (const n of added) this.add(n);
    return added;
  }

  private add(n: CascadeNode): void {
    this.nodes.push(n);
    this.byPerson.set(n.personId, n);
  }
}

import { finishFigures, summarizeTree } from '../spread/figures.ts';
import type { SpreadFigures } from '../spread/figures.ts';
import { spreadStory, storyNodes } from '../read/spread.ts';
import { spreadProjection } from '../projections/spread.ts';
import type { EventStore } from '../store/port.ts';
import type { AsOfDate } from './date.ts';
import { checkpointsOf, cutIsPrefix, logOrderProjection, readOrder } from './log-order.ts';
import { preparedPer } from '../projections/prepared.ts';
import type { Runtime, Views } from '../projections/runtime.ts';

const statements = preparedPer((db: Views) => ({
  touches: db.prepare<[string, number], number>('SELECT count(*) FROM spread_touches WHERE story_id = ? AND at_ms < ?').pluck(),
  departments: db.prepare<[], string>('SELECT department_id FROM spread_departments').pluck(),
}));

/**
 * One story's spread figures as they stood on a date (`hallway spread --as-of`), without building
 * the date: when the date's cut is a prefix of the log (src/asof/log-order.ts), the story's cascade
 * then is its cascade now cut at the cutoff. A node joins the tree at the time of the exposure that
 * added it, never leaves it, and keeps the parent, depth and department it joined with; the events
 * of a prefix are applied to the spread model exactly as they were, so the tree of the truncated
 * log is the live tree's nodes before the cutoff, and its touches the live touches before it. The
 * figures are then SPREAD.md's pure functions over those nodes (src/spread/figures.ts), with the
 * departments open at the cutoff read from the departments' own streams.
 *
 * Returns 'build' when this cannot be decided that way (no live read models, the cut is not a
 * prefix, or the spread model and the facts are not at the same log position): the caller builds
 * the date (src/asof/snapshots.ts).
 */
export async function storyFiguresAsOf(store: EventStore, live: Runtime, asOf: AsOfDate, storyId: string): Promise<SpreadFigures | undefined | 'build'> {
  const db = live.db;
  try {
    await live.waitFor(await store.headPosition(), 2000);
  } catch {
    return 'build';
  }
  const C = asOf.cutoffMs;
  // one read transaction: the nodes, the touches and the facts are of one log position
  const read = db.transaction(() => {
    let order;
    try {
      order = readOrder(db);
    } catch {
      return 'build' as const;
    }
    const cps = checkpointsOf(db);
    const cp = (name: string) => cps.find((c) => c.name === name)?.position;
    const position = cp(logOrderProjection.name);
    if (!order || position === undefined || cp(spreadProjection.name) !== position || !cutIsPrefix(order, C)) return 'build' as const;
    const story = spreadStory(db, storyId);
    if (!story || !(story.t0_ms < C)) return { position, story: undefined };
    const nodes = storyNodes(db, storyId).filter((n) => n.atMs < C);
    const touches = statements(db).touches.get(storyId, C)!;
    const departments = statements(db).departments.all();
    return { position, story, nodes, touches, departments };
  })();
  if (read === 'build') return 'build';
  if (!read.story) return undefined;
  const open = await departmentsOpenAt(store, read.departments!, read.position, C);
  return figuresOf(read.nodes!, read.touches!, read.story.t0_ms, open);
}

/** Departments open after the events of their streams up to `position` recorded before `cutoffMs`. */
async function departmentsOpenAt(store: EventStore, departmentIds: string[], position: number, cutoffMs: number): Promise<number> {
  let open = 0;
  for (const id of departmentIds) {
    let isOpen = false;
    for (const e of await store.readStream(`department-${id}`)) {
      if (e.position > position || !(Date.parse(e.metadata.at) < cutoffMs)) continue;
      if (e.type === 'DepartmentOpened') isOpen = true;
      else if (e.type === 'DepartmentClosed') isOpen = false;
    }
    if (isOpen) open += 1;
  }
  return open;
}

/**
 * SPREAD.md's figures over the nodes, as the spread model reads them (src/read/spread.ts): the
 * entropy's terms summed in department id order, as its per-department rows come, so the float is
 * the same to the last bit.
 */
export function figuresOf(nodes: ReturnType<typeof storyNodes>, touches: number, t0Ms: number, departmentsOpen: number): SpreadFigures {
  const summary = summarizeTree(nodes);
  const perDept = new Map<string, number>();
  for (const n of nodes) perDept.set(n.departmentId, (perDept.get(n.departmentId) ?? 0) + 1);
  let plnp = 0;
  for (const id of [...perDept.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const p = perDept.get(id)! / nodes.length;
    plnp += p * Math.log(p);
  }
  return finishFigures({ ...summary, entropyNats: 0 - plnp }, touches, t0Ms, departmentsOpen);
}

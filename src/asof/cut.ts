import { upcast } from '../../events/catalogue.ts';
import { REMOVED_TEXT } from '../privacy/markers.ts';
import { preparedPer } from '../projections/prepared.ts';
import type { Views } from '../projections/runtime.ts';
import { groupsOf } from '../projections/spread-dashboard.ts';
import type { Group } from '../projections/spread-dashboard.ts';
import { storyNodes } from '../read/spread.ts';
import type { CascadeNode } from '../spread/cascade.ts';
import type { SpreadFigures } from '../spread/figures.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';
import { figuresOf } from './figures.ts';

/**
 * A past date whose cut is a prefix of the log (src/asof/log-order.ts), answered from the live
 * read models without building the date. The cut is then the log up to the first event recorded at
 * or after the cutoff (`firstOut`): every event before that position is in, every one from it on is
 * out. What the live read models keep with the time it happened (the spread model's nodes and
 * touches: `at_ms`) is cut by time; the little they keep only as it stands now (a story's title,
 * whether it is retracted or awaiting review, the departments' names and whether they are open,
 * who works where) is folded from the streams it comes from, read from the store up to `firstOut`,
 * with the same rules as the spread projection (src/projections/spread.ts). Reading a few small
 * streams costs far less than reading the log up to the date.
 */

export interface Cut {
  cutoffMs: number;
  /** the log position the live read models and the facts were read at */
  factsPosition: number;
  /** the position of the first event left out (every later one is out too); +∞ when none is */
  firstOut: number;
}

/**
 * Thrown when a stream read carries no log position (EventStoreDB before 22.6 sends none): a cut
 * cannot be told apart there, so the date is built from the log instead (src/asof/snapshots.ts).
 */
export class StreamPositionsUnknown extends Error {
  constructor() {
    super('the event store gives stream reads no log positions: the date is built from the log');
  }
}

/** Whether an event read from a stream is in the cut (see StreamPositionsUnknown). */
export function inCut(e: RecordedEvent, cut: Cut): boolean {
  if (!(e.position > 0)) throw new StreamPositionsUnknown();
  return e.position < cut.firstOut && e.position <= cut.factsPosition;
}

/**
 * The position of the first event at or after the cutoff, among those up to `upTo`, for a cut that
 * is a prefix of the log there: a binary search over the log, one event read per step (about 21 at
 * two million events). An `at` that does not parse is out, as in every cut.
 */
export async function firstOutside(store: EventStore, cutoffMs: number, upTo: number): Promise<number> {
  const inside = (e: RecordedEvent): boolean => Date.parse(e.metadata.at) < cutoffMs;
  // the answer is in (lo, hi], or it is `found` (no event lies between hi and found)
  let lo = 0;
  let hi = upTo;
  let found = Number.POSITIVE_INFINITY;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const [e] = await store.readAll({ after: mid, limit: 1 });
    if (!e || e.position > upTo) hi = mid;
    else if (inside(e)) lo = e.position;
    else {
      found = e.position;
      hi = mid;
    }
  }
  return found;
}

// ---- what the spread model keeps only as it stands now, at the cut ---------------------------

export interface DepartmentAtCut {
  department_id: string;
  name: string;
  open: number;
}

/** The org as the spread model held it at the cut: departments (its rows' order) and active people per department. */
export interface OrgAtCut {
  departments: DepartmentAtCut[];
  activeByDepartment: Map<string, number>;
}

const statements = preparedPer((db: Views) => ({
  departments: db.prepare<[], string>('SELECT department_id FROM spread_departments').pluck(),
  people: db.prepare<[], [string, string, number]>('SELECT employee_id, department_id, active FROM spread_people').raw(),
  movedSince: db.prepare<[number], string>('SELECT DISTINCT employee_id FROM spread_department_history WHERE position >= ?').pluck(),
  story: db.prepare<[string], { t0_ms: number; teller_id: string }>('SELECT t0_ms, teller_id FROM spread_stories WHERE story_id = ?'),
  touches: db.prepare<[string, number], number>('SELECT count(*) FROM spread_touches WHERE story_id = ? AND at_ms < ?').pluck(),
}));

const data = (e: RecordedEvent): Record<string, unknown> => upcast(e.type, e.data, e.metadata.v ?? 1) as Record<string, unknown>;

/** A department's row at the cut, as spread's openDepartment / renameDepartment / closeDepartment leave it; undefined before it opened. */
async function departmentAtCut(store: EventStore, cut: Cut, departmentId: string): Promise<DepartmentAtCut | undefined> {
  let row: DepartmentAtCut | undefined;
  for (const e of await store.readStream(`department-${departmentId}`)) {
    if (!inCut(e, cut)) continue;
    const d = data(e);
    if (e.type === 'DepartmentOpened') row = { department_id: departmentId, name: d['name'] as string, open: 1 };
    else if (e.type === 'DepartmentRenamed' && row) row.name = d['name'] as string;
    else if (e.type === 'DepartmentClosed' && row) row.open = 0;
  }
  return row;
}

/**
 * A person's spread_people row at the cut (EmployeeJoined upserts it active, EmployeeTransferred
 * moves an existing row, EmployeeLeft marks it inactive); undefined when they had not joined.
 */
async function personAtCut(store: EventStore, cut: Cut, employeeId: string): Promise<[string, number] | undefined> {
  let row: [string, number] | undefined;
  for (const e of await store.readStream(`employee-${employeeId}`)) {
    if (!inCut(e, cut)) continue;
    if (e.type === 'EmployeeJoined') row = [data(e)['departmentId'] as string, 1];
    else if (e.type === 'EmployeeTransferred' && row) row[0] = data(e)['departmentId'] as string;
    else if (e.type === 'EmployeeLeft' && row) row[1] = 0;
  }
  return row;
}

/**
 * The org at the cut. People are read from the live rows, except those whose row may have changed
 * since the cut: a join or transfer at or after it (the model's department history is kept by log
 * position), or inactive now (a leave is kept only as the flag); those few are folded from their
 * own streams. Anyone else's last join or transfer is before the cut and they have not left since
 * (a leave then a rejoin would be a join after it), so their row now is their row then.
 */
export function orgAtCut(db: Views, store: EventStore, cut: Cut): Promise<OrgAtCut> {
  // the same for every page of the cut: worked out once per cut (a cut is made per date and log position)
  let org = orgKept.get(cut);
  if (!org) {
    orgKept.set(cut, (org = readOrgAtCut(db, store, cut)));
    org.catch(() => orgKept.delete(cut));
  }
  return org;
}
const orgKept = new WeakMap<Cut, Promise<OrgAtCut>>();

async function readOrgAtCut(db: Views, store: EventStore, cut: Cut): Promise<OrgAtCut> {
  const q = statements(db);
  const people = new Map<string, [string, number]>();
  for (const [id, dept, active] of q.people.all()) people.set(id, [dept, active]);
  const changed = new Set(q.movedSince.all(Number.isFinite(cut.firstOut) ? cut.firstOut : Number.MAX_SAFE_INTEGER));
  for (const [id, [, active]] of people) if (!active) changed.add(id);
  const departmentIds = q.departments.all();
  // the store is read after every view row: the read transaction keeps the rows of one log position
  const departments: DepartmentAtCut[] = [];
  for (const id of departmentIds) {
    const row = await departmentAtCut(store, cut, id);
    if (row) departments.push(row);
  }
  for (const id of changed) {
    const row = await personAtCut(store, cut, id);
    if (row) people.set(id, row);
    else people.delete(id);
  }
  const activeByDepartment = new Map<string, number>();
  for (const [dept, active] of people.values()) if (active) activeByDepartment.set(dept, (activeByDepartment.get(dept) ?? 0) + 1);
  return { departments, activeByDepartment };
}

/** The dashboard's department groups at the cut (src/projections/spread-dashboard.ts's departmentGroups over the org then). */
export function groupsAtCut(org: OrgAtCut, minGroup: number): { groups: Group[]; groupOf: (departmentId: string) => string } {
  return groupsOf(org.departments, org.activeByDepartment, minGroup);
}

/** What the spread model's story row said at the cut (spreadStory), from the story's stream and its teller's. */
export interface StoryAtCut {
  title: string;
  t0Ms: number;
  retracted: boolean;
  awaiting: boolean;
}

/**
 * The story's spread row at the cut: told (its StorySubmitted before the cut), its title after the
 * amendments and an erasure of its teller before the cut, retracted, and awaiting review (review was
 * on when it was told, by the archive settings before it in log order, and it was not approved
 * before the cut). Undefined when it was not told before the cut.
 */
export async function storyAtCut(db: Views, store: EventStore, cut: Cut, storyId: string): Promise<StoryAtCut | undefined> {
  const live = statements(db).story.get(storyId);
  if (!live || !(live.t0_ms < cut.cutoffMs)) return undefined;
  const events = [
    ...(await store.readStream(`story-${storyId}`)),
    ...(await store.readStream(`employee-${live.teller_id}`)).filter((e) => e.type === 'PersonErased'),
  ]
    .filter((e) => inCut(e, cut))
    .sort((a, b) => a.position - b.position);
  let s: (StoryAtCut & { tellerId: string; submitted: number }) | undefined;
  for (const e of events) {
    const d = data(e);
    if (e.type === 'StorySubmitted') {
      // a story id is told once: a second StorySubmitted changes nothing
      if (!s) s = { title: d['title'] as string, t0Ms: Date.parse(e.metadata.at), retracted: false, awaiting: false, tellerId: d['tellerId'] as string, submitted: e.position };
    } else if (!s) continue;
    else if (e.type === 'StoryAmended' && d['title'] !== undefined) s.title = d['title'] as string;
    else if (e.type === 'PersonErased' && d['employeeId'] === s.tellerId) s.title = REMOVED_TEXT;
    else if (e.type === 'StoryRetracted') s.retracted = true;
  }
  if (!s) return undefined;
  if (await reviewOnBefore(store, s.submitted)) {
    // approved before the cut, after it was told: not awaiting
    s.awaiting = !events.some((e) => e.type === 'StoryApproved' && e.position > s!.submitted);
  }
  return { title: s.title, t0Ms: s.t0Ms, retracted: s.retracted, awaiting: s.awaiting };
}

/** Whether review before publishing was on just before `position` (the archive settings' last word before it). */
async function reviewOnBefore(store: EventStore, position: number): Promise<boolean> {
  let on = false;
  for (const e of await store.readStream('archive-settings')) {
    if (!(e.position > 0)) throw new StreamPositionsUnknown();
    if (e.position >= position || e.type !== 'ArchiveSettingsChanged') continue;
    on = data(e)['reviewBeforePublishing'] === true;
  }
  return on;
}

/** The story's cascade at the cut: the nodes that joined before the cutoff, in the order they joined. */
export function nodesAtCut(db: Views, cut: Cut, storyId: string): CascadeNode[] {
  return storyNodes(db, storyId).filter((n) => n.atMs < cut.cutoffMs);
}

/** SPREAD.md's figures of a story told before the cut, at the cut. */
export function figuresAtCut(db: Views, cut: Cut, storyId: string, t0Ms: number, nodes: CascadeNode[], org: OrgAtCut): SpreadFigures {
  const touches = statements(db).touches.get(storyId, cut.cutoffMs)!;
  return figuresOf(nodes, touches, t0Ms, org.departments.filter((d) => d.open).length);
}

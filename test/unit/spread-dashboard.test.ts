import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent, Views } from '../../src/projections/runtime.ts';
import { spreadProjection } from '../../src/projections/spread.ts';
import { edgeLogProjection } from '../../src/projections/edge-log.ts';
import { dashboard, departmentGroups, SMALLER } from '../../src/projections/spread-dashboard.ts';
import type { Window } from '../../src/projections/spread-dashboard.ts';
import { dashboardVersion } from '../../src/read/edge-log.ts';

/**
 * The dashboard reads a window's edges as packed numbers (src/spread/edge-code.ts). Here its
 * figures are checked against a plain scan of the nodes' department columns, written the obvious
 * way, on random logs: departments of different sizes (some folded), transfers, people the log
 * never introduced, retellings, themes added and removed, retractions, and random windows.
 */

const DEPTS = ['d-a', 'd-b', 'd-c', 'd-d'];
// d-a gets many people, d-d few, so a minimum group of 3 folds some departments
const PEOPLE = Array.from({ length: 12 }, (_, i) => `p${i}`);
const deptOfPerson = (i: number): string => DEPTS[i < 5 ? 0 : i < 8 ? 1 : i < 10 ? 2 : 3]!;
const STORIES = ['s1', 's2', 's3', 's4', 's5'];
const THEMES = ['t1', 't2', 't3'];

type Step =
  | { kind: 'read'; story: number; who: number; gap: number }
  | { kind: 'heard'; story: number; who: number; from: number | null; gap: number }
  | { kind: 'transfer'; who: number; dept: number; gap: number }
  | { kind: 'retell'; story: number; who: number; gap: number }
  | { kind: 'theme'; story: number; theme: number; on: boolean; gap: number }
  | { kind: 'retract'; story: number; gap: number };

// index PEOPLE.length is someone the log never introduced (an import could carry one)
const person = fc.integer({ min: 0, max: PEOPLE.length });
const storyIx = fc.integer({ min: 0, max: STORIES.length - 1 });
const gap = fc.integer({ min: 0, max: 3 * 3_600_000 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), story: storyIx, who: person, gap }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('heard' as const), story: storyIx, who: person, from: fc.option(person, { nil: null }), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), who: fc.integer({ min: 0, max: PEOPLE.length - 1 }), dept: fc.integer({ min: 0, max: DEPTS.length - 1 }), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retell' as const), story: storyIx, who: fc.integer({ min: 0, max: PEOPLE.length - 1 }), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('theme' as const), story: storyIx, theme: fc.integer({ min: 0, max: THEMES.length - 1 }), on: fc.boolean(), gap }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), story: storyIx, gap }) },
);

const T0 = Date.UTC(2024, 0, 1);
/** chunks of three edges, so the logs below fill several chunks and a tail */
const edgeLog = edgeLogProjection(3);
const personId = (i: number): string => PEOPLE[i] ?? 'stranger';

function logOf(steps: Step[]): ProjectedEvent[] {
  const out: ProjectedEvent[] = [];
  let at = T0;
  let retellings = 0;
  const push = (type: string, data: Record<string, unknown>, gapMs = 1000): void => {
    const position = out.length + 1;
    at += gapMs;
    out.push({ id: `e${position}`, type, data, stream: 'x', revision: 0, position, metadata: { at: new Date(at).toISOString() } } as unknown as ProjectedEvent);
  };
  DEPTS.forEach((d) => push('DepartmentOpened', { departmentId: d, name: `Dept ${d}` }));
  THEMES.forEach((t) => push('ThemeDefined', { themeId: t, name: t.toUpperCase(), description: '' }));
  PEOPLE.forEach((p, i) => push('EmployeeJoined', { employeeId: p, name: p, departmentId: deptOfPerson(i), joinedOn: '2020-01-01' }));
  STORIES.forEach((s, i) =>
    push('StorySubmitted', { storyId: s, title: s, body: 'b', tellerId: PEOPLE[i * 2], leader: 'L', occurredOn: '2023', themes: [THEMES[i % THEMES.length]], relation: 'witnessed', anonymous: false }),
  );
  for (const s of steps) {
    const storyId = 'story' in s ? STORIES[s.story] : undefined;
    if (s.kind === 'read') push('StoryRead', { storyId, readerId: personId(s.who) }, s.gap);
    if (s.kind === 'heard' && s.from !== s.who) push('StoryHeard', { storyId, listenerId: personId(s.who), setting: 'meeting', ...(s.from === null ? {} : { fromId: personId(s.from) }) }, s.gap);
    if (s.kind === 'transfer') push('EmployeeTransferred', { employeeId: PEOPLE[s.who], departmentId: DEPTS[s.dept] }, s.gap);
    if (s.kind === 'retell') {
      retellings += 1;
      push('StorySubmitted', { storyId: `r${retellings}`, title: `r${retellings}`, body: 'b', tellerId: PEOPLE[s.who], leader: 'L', occurredOn: '2023', themes: ['t1'], relation: 'heard', retellingOf: storyId, anonymous: false }, s.gap);
    }
    if (s.kind === 'theme') push(s.on ? 'StoryThemed' : 'StoryUnthemed', { storyId, themeId: THEMES[s.theme] }, s.gap);
    if (s.kind === 'retract') push('StoryRetracted', { storyId, reason: 'r' }, s.gap);
  }
  return out;
}

const windowArb = fc.record({
  from: fc.option(fc.integer({ min: 0, max: 40 * 3_600_000 }), { nil: null }),
  length: fc.integer({ min: 1, max: 60 * 3_600_000 }),
});

const byFlow = (x: { from: string; to: string }, y: { from: string; to: string }): number => (x.from + '|' + x.to < y.from + '|' + y.to ? -1 : 1);

/** Everything the dashboard shows, without the per-story details the exact-vector tests cover. */
const figuresOf = (db: Views, w: Window, minGroup: number, limit: number) => {
  const d = dashboard(db, w, minGroup, limit);
  return {
    ranking: d.stories.map((s) => [s.storyId, s.added]),
    flows: [...d.flows].sort(byFlow),
    departments: d.departments.map((x) => ({ id: x.id, received: x.received, passedOn: x.passedOn, eiIndex: x.eiIndex, quiet: x.quiet })),
    themes: d.themes.map((t) => [t.themeId, t.nodesAdded]),
  };
};

/** The same figures by a plain scan of the nodes' department columns, strings and sets. */
function byPlainScan(db: Views, w: Window, minGroup: number, limit: number, shown: string[]) {
  const { groupOf } = departmentGroups(db, minGroup);
  const rows = db
    .prepare<[number, number], { story_id: string; parent_department_id: string; department_id: string }>(
      'SELECT story_id, parent_department_id, department_id FROM spread_nodes WHERE at_ms >= ? AND at_ms < ? AND parent_department_id IS NOT NULL',
    )
    .all(w.fromMs ?? Number.MIN_SAFE_INTEGER, w.toMs);
  const added = new Map<string, number>();
  const flows = new Map<string, number>();
  const received = new Map<string, Set<string>>();
  const passed = new Map<string, Set<string>>();
  const within = new Map<string, number>();
  const across = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of rows) {
    const f = groupOf(r.parent_department_id);
    const t = groupOf(r.department_id);
    bump(added, r.story_id);
    bump(flows, `${f}|${t}`);
    if (f === t) bump(within, f);
    else {
      bump(across, f);
      bump(across, t);
      if (!received.has(t)) received.set(t, new Set());
      received.get(t)!.add(r.story_id);
      if (!passed.has(f)) passed.set(f, new Set());
      passed.get(f)!.add(r.story_id);
    }
  }
  const retracted = new Set(db.prepare<[], { story_id: string }>('SELECT story_id FROM spread_stories WHERE retracted = 1').all().map((r) => r.story_id));
  const ranking = [...added]
    .filter(([id]) => !retracted.has(id))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit);
  const themeRows = db.prepare<[], { story_id: string; theme_id: string }>('SELECT story_id, theme_id FROM spread_story_themes').all();
  const themeIds = db.prepare<[], { theme_id: string }>('SELECT theme_id FROM spread_themes ORDER BY name COLLATE NOCASE').all().map((r) => r.theme_id);
  return {
    ranking,
    flows: [...flows].map(([k, count]) => ({ from: k.split('|')[0]!, to: k.split('|')[1]!, count })).sort(byFlow),
    departments: shown.map((id) => {
      const e = across.get(id) ?? 0;
      const i = within.get(id) ?? 0;
      const rec = received.get(id)?.size ?? 0;
      return { id, received: rec, passedOn: passed.get(id)?.size ?? 0, eiIndex: e + i === 0 ? null : (e - i) / (e + i), quiet: rec === 0 };
    }),
    themes: themeIds.map((t) => [t, themeRows.filter((r) => r.theme_id === t).reduce((n, r) => n + (added.get(r.story_id) ?? 0), 0)]),
  };
}

describe('the dashboard read from packed edges', () => {
  it('equals a plain scan of the nodes’ departments, on random logs and windows, and a rebuilt model gives the same', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), windowArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), (steps, win, minGroup, limit) => {
        const log = logOf(steps);
        const live = openViews(':memory:');
        spreadProjection.setup(live);
        edgeLog.setup(live);
        for (const e of log) {
          spreadProjection.apply(live, e);
          edgeLog.apply(live, e);
        }
        const w: Window = { fromMs: win.from === null ? null : T0 + win.from, toMs: T0 + (win.from ?? 0) + win.length };
        const got = figuresOf(live, w, minGroup, limit);
        // the folded group is listed when some department is folded, or when something landed in it
        const shown = got.departments.map((x) => x.id);
        expect(got).toEqual(byPlainScan(live, w, minGroup, limit, shown));
        const scanned = byPlainScan(live, w, minGroup, limit, [...departmentGroups(live, minGroup).groups.map((g) => g.id), SMALLER]);
        for (const x of scanned.departments) if (!shown.includes(x.id)) expect(x.eiIndex, `${x.id} has edges but no row`).toBeNull();
        // each circulating story's touches in the window, counted row by row (the dashboard takes the story's total when the window holds them all)
        for (const window of [w, { fromMs: null, toMs: Number.MAX_SAFE_INTEGER }]) {
          for (const s of dashboard(live, window, minGroup, limit).stories) {
            const plain = live.prepare<[string, number, number], number>('SELECT count(*) FROM spread_touches WHERE story_id = ? AND at_ms >= ? AND at_ms < ?').pluck().get(s.storyId, window.fromMs ?? Number.MIN_SAFE_INTEGER, window.toMs);
            expect(s.touches, s.storyId).toBe(plain);
          }
        }
        const scratch = openViews(':memory:');
        spreadProjection.setup(scratch);
        edgeLog.setup(scratch);
        scratch.transaction(() => log.forEach((e) => spreadProjection.apply(scratch, e)))();
        scratch.transaction(() => log.forEach((e) => edgeLog.apply(scratch, e)))();
        expect(figuresOf(scratch, w, minGroup, limit)).toEqual(got);
        live.close();
        scratch.close();
      }),
      { numRuns: 120 },
    );
  });
});

describe('the dashboard read from the edge log kept in memory', () => {
  it('equals the from-scratch computation over the spread model’s nodes, on random logs, batches and windows, asked between batches and after a rebuild', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
        fc.array(windowArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (steps, batches, wins, minGroup, limit, rebuildMidway) => {
          const log = logOf(steps);
          const db = openViews(':memory:');
          spreadProjection.setup(db);
          edgeLog.setup(db);
          const windows: Window[] = wins.map((win) => ({ fromMs: win.from === null ? null : T0 + win.from, toMs: T0 + (win.from ?? 0) + win.length }));
          const same = (): void => {
            for (const w of [...windows, { fromMs: null, toMs: Number.MAX_SAFE_INTEGER }]) {
              expect(dashboard(db, w, minGroup, limit)).toEqual(dashboard(db, w, minGroup, limit, 'nodes'));
            }
          };
          // as the runtime does: per batch, the spread model first, then the edge log
          let at = 0;
          let batch = 0;
          let rebuilt = !rebuildMidway;
          while (at < log.length) {
            const size = batches[batch++ % batches.length]!;
            const part = log.slice(at, at + size);
            db.transaction(() => part.forEach((e) => spreadProjection.apply(db, e)))();
            db.transaction(() => part.forEach((e) => edgeLog.apply(db, e)))();
            at += size;
            same();
            if (!rebuilt && at > (log.length * 2) / 3) {
              rebuilt = true;
              // both read models rebuilt from the start, and so far only up to half way: the edge
              // log has a new generation, and the reader must drop the edges it holds
              at = Math.floor(at / 2);
              db.transaction(() => {
                for (const p of [spreadProjection, edgeLog]) {
                  p.reset(db);
                  p.setup(db);
                }
                log.slice(0, at).forEach((e) => spreadProjection.apply(db, e));
                log.slice(0, at).forEach((e) => edgeLog.apply(db, e));
              })();
              same();
            }
          }
          same();
          db.close();
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the dashboard’s kept parts', () => {
  it('count a story approved after review once it is approved, though nothing but the approval changed', () => {
    const db = openViews(':memory:');
    spreadProjection.setup(db);
    edgeLog.setup(db);
    let position = 0;
    const apply = (type: string, data: Record<string, unknown>): void => {
      position += 1;
      const e = { id: `e${position}`, type, data, stream: 'x', revision: 0, position, metadata: { at: new Date(T0 + position * 1000).toISOString() } } as unknown as ProjectedEvent;
      spreadProjection.apply(db, e);
      edgeLog.apply(db, e);
    };
    apply('DepartmentOpened', { departmentId: 'd-a', name: 'A' });
    apply('ThemeDefined', { themeId: 't1', name: 'T1', description: '' });
    apply('EmployeeJoined', { employeeId: 'p0', name: 'p0', departmentId: 'd-a', joinedOn: '2020-01-01' });
    apply('ArchiveSettingsChanged', { reviewBeforePublishing: true });
    apply('StorySubmitted', { storyId: 's1', title: 's1', body: 'b', tellerId: 'p0', leader: 'L', occurredOn: '2023', themes: ['t1'], relation: 'witnessed', anonymous: false });
    const w: Window = { fromMs: null, toMs: T0 + 86_400_000 };
    const told = (): number[] => {
      const d = dashboard(db, w, 1);
      expect(d).toEqual(dashboard(db, w, 1, 20, 'nodes'));
      return [d.departments.reduce((n, x) => n + x.told, 0), d.themes.find((t) => t.themeId === 't1')!.told];
    };
    expect(told()).toEqual([0, 0]);
    apply('StoryApproved', { storyId: 's1' });
    expect(told()).toEqual([1, 1]);
    db.close();
  });
});

describe('the dashboard’s version (what the dashboard page is kept under, issue 10)', () => {
  it('moves whenever the dashboard’s figures change, on random logs and batches, and not for events the dashboard does not read', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        windowArb,
        fc.integer({ min: 1, max: 3 }),
        (steps, batches, win, minGroup) => {
          const log = logOf(steps);
          const db = openViews(':memory:');
          spreadProjection.setup(db);
          edgeLog.setup(db);
          const windows: Window[] = [{ fromMs: win.from === null ? null : T0 + win.from, toMs: T0 + (win.from ?? 0) + win.length }, { fromMs: null, toMs: Number.MAX_SAFE_INTEGER }];
          const shown = (): string => JSON.stringify(windows.map((w) => dashboard(db, w, minGroup, 20, 'nodes')));
          let at = 0;
          let batch = 0;
          let before = { figures: shown(), version: dashboardVersion(db) };
          while (at < log.length) {
            const part = log.slice(at, at + batches[batch++ % batches.length]!);
            at += part.length;
            db.transaction(() => spreadProjection.applyBatch!(db, part))();
            db.transaction(() => edgeLog.applyBatch!(db, part))();
            const now = { figures: shown(), version: dashboardVersion(db) };
            if (now.figures !== before.figures) expect(now.version).not.toBe(before.version);
            before = now;
          }
          // an event no dashboard figure reads: the version stays
          const position = log.length + 1;
          const granted = { id: `e${position}`, type: 'EmployeeRoleGranted', data: { employeeId: 'p0', role: 'leader' }, stream: 'x', revision: 0, position, metadata: { at: new Date(T0).toISOString() } } as unknown as ProjectedEvent;
          db.transaction(() => {
            spreadProjection.apply(db, granted);
            edgeLog.apply(db, granted);
          })();
          expect(dashboardVersion(db)).toBe(before.version);
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is kept in a read model built before it: setup adds the column, the counts stay', () => {
    const db = openViews(':memory:');
    db.exec('CREATE TABLE edge_log_meta (k INTEGER PRIMARY KEY CHECK (k = 1), org_changes INTEGER NOT NULL DEFAULT 0, story_changes INTEGER NOT NULL DEFAULT 0)');
    db.exec('INSERT INTO edge_log_meta (k, org_changes, story_changes) VALUES (1, 7, 3)');
    spreadProjection.setup(db);
    edgeLog.setup(db);
    expect(dashboardVersion(db)).toBe('7|3|0');
    const e = { id: 'e1', type: 'DepartmentOpened', data: { departmentId: 'd-a', name: 'A' }, stream: 'x', revision: 0, position: 41, metadata: { at: new Date(T0).toISOString() } } as unknown as ProjectedEvent;
    spreadProjection.apply(db, e);
    edgeLog.apply(db, e);
    expect(dashboardVersion(db)).toBe('8|3|41');
    db.close();
  });
});

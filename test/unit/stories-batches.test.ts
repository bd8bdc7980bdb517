import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent, Views } from '../../src/projections/runtime.ts';
import { storiesProjection } from '../../src/projections/stories.ts';

/**
 * The stories projection counts exposures once per story at the end of a batch (applyBatch):
 * whatever the batch boundaries, the tables must be those of one event at a time, and each
 * story's exposure (and its theme rows') the distinct people other than the teller that a plain
 * scan of the log finds.
 */

const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const THEMES = ['t0', 't1'];
/** s0 and s1 are told at the start; n0 and n1 only when a step tells them (events about them before that name no story) */
const STORIES = ['s0', 's1', 'n0', 'n1'];

type Step =
  | { kind: 'read'; story: number; who: number }
  | { kind: 'heard'; story: number; who: number; from: number | null }
  | { kind: 'shared'; story: number; from: number; to: number }
  | { kind: 'retell'; story: number; who: number }
  | { kind: 'tell'; story: number; who: number; theme: number }
  | { kind: 'theme' | 'untheme'; story: number; theme: number }
  | { kind: 'retract'; story: number };

const person = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const storyIx = fc.integer({ min: 0, max: STORIES.length - 1 });
const themeIx = fc.integer({ min: 0, max: THEMES.length - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), story: storyIx, who: person }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('heard' as const), story: storyIx, who: person, from: fc.option(person, { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('shared' as const), story: storyIx, from: person, to: person }) },
  fc.record({ kind: fc.constant('retell' as const), story: storyIx, who: person }),
  fc.record({ kind: fc.constant('tell' as const), story: fc.integer({ min: 2, max: 3 }), who: person, theme: themeIx }),
  fc.record({ kind: fc.constantFrom('theme' as const, 'untheme' as const), story: storyIx, theme: themeIx }),
  fc.record({ kind: fc.constant('retract' as const), story: storyIx }),
);

function logOf(steps: Step[]): ProjectedEvent[] {
  const out: ProjectedEvent[] = [];
  const revisions = new Map<string, number>();
  const told = new Set<string>();
  let retellings = 0;
  const push = (stream: string, type: string, data: Record<string, unknown>): void => {
    const position = out.length + 1;
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    out.push({ id: `e${position}`, type, data, stream, revision, position, metadata: { at: new Date(Date.UTC(2024, 0, 1) + position * 1000).toISOString(), actor: 'system' } } as unknown as ProjectedEvent);
  };
  const tell = (storyId: string, tellerId: string, themes: string[], retellingOf?: string): void => {
    told.add(storyId);
    push(`story-${storyId}`, 'StorySubmitted', {
      storyId, title: storyId, body: 'b', tellerId, leader: 'L', occurredOn: '2023', themes, relation: retellingOf ? 'heard' : 'witnessed', anonymous: false,
      ...(retellingOf ? { retellingOf } : {}),
    });
  };
  push('department-d', 'DepartmentOpened', { departmentId: 'd', name: 'D' });
  THEMES.forEach((t) => push(`theme-${t}`, 'ThemeDefined', { themeId: t, name: t, description: t }));
  PEOPLE.forEach((p) => push(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: p, departmentId: 'd', joinedOn: '2020-01-01' }));
  tell('s0', 'p0', ['t0']);
  tell('s1', 'p1', ['t0', 't1']);
  for (const s of steps) {
    const storyId = STORIES[s.story]!;
    const c = `circulation-${storyId}`;
    if (s.kind === 'read') push(c, 'StoryRead', { storyId, readerId: PEOPLE[s.who] });
    if (s.kind === 'heard' && s.from !== s.who) push(c, 'StoryHeard', { storyId, listenerId: PEOPLE[s.who], setting: 'meeting', ...(s.from === null ? {} : { fromId: PEOPLE[s.from] }) });
    if (s.kind === 'shared' && s.from !== s.to) push(c, 'StoryShared', { storyId, fromId: PEOPLE[s.from], toId: PEOPLE[s.to] });
    if (s.kind === 'retell' && told.has(storyId)) tell(`r${++retellings}`, PEOPLE[s.who]!, ['t1'], storyId);
    if (s.kind === 'tell' && !told.has(storyId)) tell(storyId, PEOPLE[s.who]!, [THEMES[s.theme]!]);
    if ((s.kind === 'theme' || s.kind === 'untheme') && told.has(storyId)) {
      push(`story-${storyId}`, s.kind === 'theme' ? 'StoryThemed' : 'StoryUnthemed', { storyId, themeId: THEMES[s.theme] });
    }
    if (s.kind === 'retract' && told.has(storyId)) push(`story-${storyId}`, 'StoryRetracted', { storyId, reason: 'r' });
  }
  return out;
}

/** Each story's exposure by a plain scan: the distinct people other than its teller an event exposed to it once it was told. */
function exposureByScan(log: ProjectedEvent[]): Map<string, number> {
  const tellers = new Map<string, string>();
  const exposed = new Map<string, Set<string>>();
  const expose = (storyId: string, personId: string | undefined): void => {
    const teller = tellers.get(storyId);
    if (teller === undefined || personId === undefined || personId === teller) return;
    exposed.get(storyId)!.add(personId);
  };
  for (const e of log) {
    const d = e.data as Record<string, string | undefined>;
    if (e.type === 'StorySubmitted') {
      tellers.set(d['storyId']!, d['tellerId']!);
      exposed.set(d['storyId']!, new Set());
      if (d['retellingOf'] !== undefined) expose(d['retellingOf'], d['tellerId']);
    }
    if (e.type === 'StoryRead') expose(d['storyId']!, d['readerId']);
    if (e.type === 'StoryHeard') {
      expose(d['storyId']!, d['fromId']);
      expose(d['storyId']!, d['listenerId']);
    }
    if (e.type === 'StoryShared') {
      expose(d['storyId']!, d['fromId']);
      expose(d['storyId']!, d['toId']);
    }
  }
  return new Map([...exposed].map(([id, people]) => [id, people.size]));
}

/** Every table of the model, every row, in a fixed order. */
function tables(db: Views): Record<string, unknown[]> {
  const names = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'story_%' OR name LIKE 'theme_%') ORDER BY name").pluck().all();
  return Object.fromEntries(names.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).raw().all().map((r) => JSON.stringify(r)).sort()]));
}

function oneByOne(log: ProjectedEvent[]): Views {
  const db = openViews(':memory:');
  storiesProjection.setup(db);
  for (const e of log) db.transaction(() => storiesProjection.apply(db, e))();
  return db;
}

function inBatches(log: ProjectedEvent[], cuts: number[]): Views {
  const db = openViews(':memory:');
  storiesProjection.setup(db);
  const bounds = [...new Set([0, ...cuts.map((c) => c % (log.length + 1)), log.length])].sort((a, b) => a - b);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const batch = log.slice(bounds[i], bounds[i + 1]);
    db.transaction(() => storiesProjection.applyBatch!(db, batch))();
  }
  return db;
}

describe('the stories projection in batches', () => {
  it('gives the same tables as one event at a time, and the exposure a plain scan counts, over random logs cut into random batches', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (steps, cuts) => {
        const log = logOf(steps);
        const a = oneByOne(log);
        const b = inBatches(log, cuts);
        expect(tables(b)).toEqual(tables(a));
        const byScan = exposureByScan(log);
        const stories = b.prepare<[], { story_id: string; exposure: number }>('SELECT story_id, exposure FROM story_stories').all();
        expect(new Map(stories.map((s) => [s.story_id, s.exposure]))).toEqual(byScan);
        // each theme row repeats its story's exposure
        const themed = b.prepare<[], { story_id: string; exposure: number }>('SELECT story_id, exposure FROM story_themes').all();
        for (const t of themed) expect(t.exposure).toBe(byScan.get(t.story_id));
        a.close();
        b.close();
      }),
      { numRuns: 80 },
    );
  });

  it('counts a story told and read in the same batch, and leaves uncounted a read of a story not yet told', () => {
    const log = logOf([
      { kind: 'read', story: 2, who: 3 },
      { kind: 'tell', story: 2, who: 0, theme: 1 },
      { kind: 'read', story: 2, who: 4 },
      { kind: 'heard', story: 2, who: 5, from: 4 },
      { kind: 'read', story: 2, who: 0 },
      { kind: 'theme', story: 2, theme: 0 },
      { kind: 'shared', story: 2, from: 1, to: 2 },
    ]);
    const db = inBatches(log, []);
    expect(db.prepare('SELECT exposure FROM story_stories WHERE story_id = ?').pluck().get('n0')).toBe(4);
    expect(db.prepare('SELECT theme_id, exposure FROM story_themes WHERE story_id = ? ORDER BY theme_id').raw().all('n0')).toEqual([['t0', 4], ['t1', 4]]);
    db.close();
  });
});

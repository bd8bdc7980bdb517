import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsOf, utcDate } from '../../src/asof/date.ts';
import { dashboardAtCut } from '../../src/asof/dashboard-cut.ts';
import { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import { UNKNOWN_DEPARTMENT } from '../../src/projections/spread.ts';
import { MemoryCascade } from '../../src/spread/cascade.ts';
import { median, sizeBucket, summarizeTree, viralityOf } from '../../src/spread/figures.ts';
import type { BatchAppend } from '../../src/store/port.ts';
import { testHallway } from '../helpers.ts';
import { DAY, randomLog } from './as-of-log.ts';
import type { LogEvent } from './as-of-log.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/**
 * The dashboard's story figures as of a date whose cut is a prefix of the log, read from the live
 * read models at the cut (src/asof/dashboard-cut.ts), against SPREAD.md's plain definition worked
 * out here from the events before the cutoff alone: each story's cascade built exposure by exposure
 * (src/spread/cascade.ts), its size, touches and virality, the people newly reached in the window,
 * the median virality of the stories of its size bucket, its title, and which stories are listed
 * (not retracted, not awaiting review, then). The log is appended in batches that the projections
 * apply many events at a time, so a date's cutoff falls inside a batch: what the spread model keeps
 * by log position must be the position of the event, not of the batch.
 * (That every dated dashboard page and CSV equals a rebuilt Hallway's is test/http/as-of.test.ts.)
 */

interface Plain {
  storyId: string;
  title: string;
  added: number;
  touches: number;
  size: number;
  virality: number;
  bucketMedian: number | null;
}

/** The listed stories of window [from, cutoff) by SPREAD.md, from the events before the cutoff. */
function plainDashboard(events: LogEvent[], cutoff: number, from: number): Plain[] {
  const kept = events.filter((e) => Date.parse(e.metadata.at) < cutoff);
  const department = new Map<string, string>();
  const departmentOf = (p: string): string => department.get(p) ?? UNKNOWN_DEPARTMENT;
  interface S { id: string; title: string; teller: string; cascade: MemoryCascade; touches: number[]; retracted: boolean; awaiting: boolean }
  const stories = new Map<string, S>();
  let reviewOn = false;
  const expose = (id: string, personId: string, sourceId: string | undefined, atMs: number): void => {
    const s = stories.get(id);
    if (!s) return;
    s.touches.push(atMs);
    s.cascade.expose({ personId, sourceId, atMs }, departmentOf);
  };
  for (const e of kept) {
    const d = e.data as Record<string, string>;
    const at = Date.parse(e.metadata.at);
    if (e.type === 'EmployeeJoined' || e.type === 'EmployeeTransferred') department.set(d['employeeId']!, d['departmentId']!);
    else if (e.type === 'ArchiveSettingsChanged') reviewOn = e.data['reviewBeforePublishing'] === true;
    else if (e.type === 'StorySubmitted' && !stories.has(d['storyId']!)) {
      stories.set(d['storyId']!, { id: d['storyId']!, title: d['title']!, teller: d['tellerId']!, cascade: new MemoryCascade(d['tellerId']!, departmentOf(d['tellerId']!), at), touches: [], retracted: false, awaiting: reviewOn });
      if (d['retellingOf']) expose(d['retellingOf'], d['tellerId']!, undefined, at);
    } else if (e.type === 'StoryAmended' && d['title'] !== undefined && stories.has(d['storyId']!)) stories.get(d['storyId']!)!.title = d['title'];
    else if (e.type === 'StoryRetracted' && stories.has(d['storyId']!)) stories.get(d['storyId']!)!.retracted = true;
    else if (e.type === 'StoryApproved' && stories.has(d['storyId']!)) stories.get(d['storyId']!)!.awaiting = false;
    else if (e.type === 'StoryRead') expose(d['storyId']!, d['readerId']!, undefined, at);
    else if (e.type === 'StoryHeard') expose(d['storyId']!, d['listenerId']!, d['fromId'], at);
    else if (e.type === 'StoryShared') expose(d['storyId']!, d['toId']!, d['fromId'], at);
  }
  const viralities = new Map<number, number[]>();
  const figures = new Map<string, { size: number; virality: number }>();
  for (const s of stories.values()) {
    const size = s.cascade.nodes.length;
    const virality = viralityOf(summarizeTree(s.cascade.nodes));
    figures.set(s.id, { size, virality });
    const b = sizeBucket(size);
    viralities.set(b, [...(viralities.get(b) ?? []), virality]);
  }
  const out: Plain[] = [];
  for (const s of stories.values()) {
    if (s.retracted || s.awaiting) continue;
    const added = s.cascade.nodes.filter((n) => n.parentId !== null && n.atMs >= from).length;
    if (added === 0) continue;
    const { size, virality } = figures.get(s.id)!;
    out.push({ storyId: s.id, title: s.title, added, touches: s.touches.filter((t) => t >= from).length, size, virality, bucketMedian: median(viralities.get(sizeBucket(size))!) });
  }
  return out.sort((a, b) => b.added - a.added || (a.storyId < b.storyId ? -1 : 1));
}

describe('the dashboard as of a date, at the cut, against SPREAD.md on the events before the cutoff', () => {
  let h: H;
  let events: LogEvent[];
  let snapshots: AsOfSnapshots;

  beforeAll(async () => {
    h = await testHallway();
    // ordered (every date's cut is a prefix of the log), with review, approvals and org changes
    events = randomLog(17, 400, { ordered: true, org: true });
    const batches: BatchAppend[] = events.map(({ stream, ...e }) => ({ stream, expectedRevision: 'any', events: [e] }));
    for (let i = 0; i < batches.length; i += 150) await h.store.appendBatch(batches.slice(i, i + 150));
    await h.runtime.waitFor(await h.store.headPosition());
    snapshots = new AsOfSnapshots(h.store, { live: h.runtime });
  });
  afterAll(async () => {
    snapshots.close();
    await h.dispose();
  });

  it('every listed story, its figures and its size bucket median, for all time and the last 7 days, on six dates', async () => {
    const first = Date.parse(events[0]!.metadata.at);
    const last = Date.parse(events[events.length - 1]!.metadata.at);
    let compared = 0;
    let changedSince = 0;
    for (let i = 1; i <= 6; i++) {
      const parsed = parseAsOf(utcDate(new Date(first + ((last - first) * i) / 7)), new Date(last + DAY));
      if (!parsed.ok) throw new Error(parsed.message);
      const cutoff = parsed.asOf.cutoffMs;
      for (const from of [null, cutoff - 7 * DAY]) {
        const d = await snapshots.use(parsed.asOf, (s) => {
          expect(s.cut, `${parsed.asOf.date} is read at its cut`).toBeDefined();
          return dashboardAtCut(s.db, h.store, s.cut!, { fromMs: from, toMs: cutoff }, 5, 1000);
        }, { cut: true });
        const got: Plain[] = d.stories.map((s) => ({ storyId: s.storyId, title: s.title, added: s.added, touches: s.touches, size: s.size, virality: s.virality, bucketMedian: s.bucketMedian }));
        const want = plainDashboard(events, cutoff, from ?? Number.MIN_SAFE_INTEGER);
        expect(got, `${parsed.asOf.date} from ${from}`).toEqual(want);
        compared += want.length;
        // the figures today differ for some of them: the cut is what made them equal
        const today = plainDashboard(events, Number.POSITIVE_INFINITY, from ?? Number.MIN_SAFE_INTEGER);
        for (const w of want) {
          const t = today.find((x) => x.storyId === w.storyId);
          if (!t || t.size !== w.size || t.bucketMedian !== w.bucketMedian || t.title !== w.title) changedSince += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(changedSince).toBeGreaterThan(10);
    expect(snapshots.size().snapshots, 'no date was built').toBe(0);
  });
});

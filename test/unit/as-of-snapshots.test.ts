import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseAsOf } from '../../src/asof/date.ts';
import { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import type { AsOfDate } from '../../src/asof/date.ts';
import { getStory } from '../../src/read/stories.ts';
import { testHallway } from '../helpers.ts';
import { randomLog } from '../http/as-of-log.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

const day = (date: string): AsOfDate => {
  const p = parseAsOf(date, new Date());
  if (!p.ok) throw new Error(p.message);
  return p.asOf;
};

describe('as-of dates', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it('reads YYYY-MM-DD as the end of that UTC day', () => {
    const p = parseAsOf('2021-03-04', now);
    expect(p).toEqual({ ok: true, asOf: { date: '2021-03-04', cutoffMs: Date.parse('2021-03-05T00:00:00Z'), label: '4 March 2021' } });
  });
  it('refuses what is not a calendar date, and dates after today; today is fine', () => {
    for (const bad of ['2021-02-29', '2021-13-01', '2021-00-10', '2021-3-4', '04/03/2021', '', 'x', '1969-12-31', '2021-03-04T00:00']) {
      const p = parseAsOf(bad, now);
      expect(p.ok, bad).toBe(false);
      if (!p.ok) expect(p.problem).toBe('invalid');
    }
    expect(parseAsOf('2024-02-29', now).ok).toBe(true);
    const future = parseAsOf('2026-12-01', now);
    expect(future.ok).toBe(false);
    if (!future.ok) expect(future).toMatchObject({ problem: 'future', message: expect.stringContaining('has not happened yet') });
    expect(parseAsOf('2026-11-30', now).ok).toBe(true);
  });
});

describe('as-of snapshots', () => {
  let h: H;
  beforeAll(async () => {
    h = await testHallway();
    for (const { stream, ...e } of randomLog(5, 40)) await h.store.append(stream, [e]);
  });
  afterAll(async () => h.dispose());

  it('keeps at most maxSnapshots dates, least recently used out, and removes their files', async () => {
    const snapshots = new AsOfSnapshots(h.store, { maxSnapshots: 2 });
    const files: string[] = [];
    for (const date of ['2021-03-02', '2021-03-03', '2021-03-02', '2021-03-05']) {
      await snapshots.use(day(date), (s) => void files.push(s.db.name));
    }
    expect(snapshots.size().snapshots).toBe(2);
    // 03-03 was least recently used when 03-05 came: gone, file and all; 03-02 (used again) stays
    expect(existsSync(files[1]!)).toBe(false);
    expect(existsSync(files[0]!)).toBe(true);
    expect(files[2]).toBe(files[0]);
    const dir = dirname(files[0]!);
    expect(readdirSync(dir).filter((f) => f.endsWith('.db')).length).toBe(2);
    snapshots.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps within the byte budget, but never closes a snapshot under a reader', async () => {
    const snapshots = new AsOfSnapshots(h.store, { maxBytes: 1 });
    let inUse = '';
    await snapshots.use(day('2021-03-04'), async (s) => {
      inUse = s.db.name;
      // another date is asked for (and evicts this one) while this one is being read
      await snapshots.use(day('2021-03-06'), () => undefined);
      expect(s.db.open).toBe(true);
      expect(getStory(s.db, 'no-such-story')).toBeUndefined();
    });
    // released by its last reader: now closed and removed
    expect(existsSync(inUse)).toBe(false);
    expect(snapshots.size().snapshots).toBe(1);
    snapshots.close();
  });

  it('follows the log: an event appended later with an earlier date is in the next read of that date', async () => {
    const snapshots = new AsOfSnapshots(h.store);
    const date = day('2021-03-04');
    const id = 'late-import';
    expect(await snapshots.use(date, (s) => getStory(s.db, id))).toBeUndefined();
    await h.store.append(`story-${id}`, [{
      id: 'late-import-event', type: 'StorySubmitted',
      data: { storyId: id, title: 'Imported afterwards', body: 'From the old wiki.', tellerId: 'emp-a', leader: 'Maren Holt', occurredOn: '2019', themes: [], relation: 'witnessed', anonymous: false },
      metadata: { at: '2021-03-03T10:00:00.000Z', actor: 'system', v: 2 },
    }]);
    expect((await snapshots.use(date, (s) => getStory(s.db, id)))?.title).toBe('Imported afterwards');
    // and a date before it still has not got it
    expect(await snapshots.use(day('2021-03-02'), (s) => getStory(s.db, id))).toBeUndefined();
    snapshots.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/app.ts';
import { openHallway } from '../../src/services.ts';
import { openStore } from '../../src/store/open.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { tempDir, testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { givenStory } from './stories-given.ts';

type H = Awaited<ReturnType<typeof testHallway>>;
const reads = async (h: Pick<H, 'store'>) => (await h.store.readAll({ limit: 10_000 })).filter((e) => e.type === 'StoryRead');
const reached = async (h: H, storyId: string, cookie: string): Promise<string> => {
  // <a href="/stories/ID"> followed by a browser without JavaScript: a plain GET
  const res = await h.app.request(`/stories/${storyId}`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return parseHTML(await res.text()).document.querySelector('.count-reached')!.textContent!;
};

describe('recording a read when a story page opens', () => {
  let h: H;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    h = await testHallway();
    teller = await signedIn(h, { name: 'Teller' });
  });
  afterAll(async () => h.dispose());

  it('answers the page without waiting for the read, then appends it off the request path (a reader without JavaScript counts)', async () => {
    const storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'The late train' });
    const reader = await signedIn(h, { name: 'Reader' });
    expect(await reached(h, storyId, reader.cookie)).toBe('0');
    // the page answered before its read was appended: nothing in the log yet
    expect(await reads(h)).toHaveLength(0);
    await flushReads(h);
    expect((await reads(h)).map((e) => e.data)).toEqual([{ storyId, readerId: reader.employeeId }]);
    expect(await reached(h, storyId, teller.cookie)).toBe('1');
  });

  it('appends the reads of many pages in one batch, each reader once per story and day', async () => {
    const storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'The open door' });
    const readers = await Promise.all([1, 2, 3].map((i) => signedIn(h, { name: `Reader ${i}` })));
    for (const r of [...readers, ...readers]) await reached(h, storyId, r.cookie);
    await flushReads(h);
    const mine = (await reads(h)).filter((e) => (e.data as { storyId: string }).storyId === storyId);
    expect(mine.map((e) => (e.data as { readerId: string }).readerId).sort()).toEqual(readers.map((r) => r.employeeId).sort());
    // one batch: consecutive positions
    const positions = mine.map((e) => e.position);
    expect(Math.max(...positions) - Math.min(...positions)).toBe(2);
  });

  it('appends the queued reads when Hallway closes', async () => {
    const tmp = tempDir();
    const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir });
    const hw = await openHallway(config, { log: () => {} });
    const app = createApp(hw);
    const t = await signedIn(hw, { name: 'T' });
    const r = await signedIn(hw, { name: 'R' });
    const storyId = await givenStory(hw, { tellerId: t.employeeId });
    expect((await app.request(`/stories/${storyId}`, { headers: { Cookie: r.cookie } })).status).toBe(200);
    await hw.close();
    const store = await openStore(config);
    try {
      expect((await reads({ store })).map((e) => e.data)).toEqual([{ storyId, readerId: r.employeeId }]);
    } finally {
      await store.close();
      tmp.remove();
    }
  });
});

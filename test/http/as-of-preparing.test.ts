import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { asOfPreparing } from '../../src/http/as-of.tsx';
import { cookieFor } from '../auth-helpers.ts';
import { testHallway } from '../helpers.ts';
import { randomLog, VIEWER } from './as-of-log.ts';
import { appendAll, getPage } from './as-of-compare.ts';
import type { TestHallway } from './as-of-compare.ts';

/**
 * A date that must be built from the log (its cut is not a prefix of the log: an import of older
 * stories came after newer events) can take minutes in a large archive. With
 * HALLWAY_ASOF_WAIT_SECONDS=0 the first request does not wait for the build: it is answered 503
 * "being prepared", with Retry-After and Refresh so the browser asks again, while the build goes on;
 * a later request gets the page.
 */
describe('a past date still being built is answered "being prepared", and the page comes later', () => {
  let h: TestHallway;
  let cookie: string;
  // seed 42's log has older stories appended after newer events; 2021-03-04 is before some of them
  const date = '2021-03-04';
  beforeAll(async () => {
    const events = randomLog(42, 70);
    const latest = Math.max(...events.map((e) => Date.parse(e.metadata.at)));
    h = await testHallway({ clock: () => new Date(latest + 86_400_000), env: { HALLWAY_ASOF_WAIT_SECONDS: '0' } });
    await appendAll(h, events);
    // enough later reads that the build takes more than one page of the log (it yields between pages)
    const story = events.find((e) => e.type === 'StorySubmitted')!.data['storyId'] as string;
    const at = new Date(latest).toISOString();
    const r = await h.store.appendBatch(
      Array.from({ length: 12_000 }, (_, i) => ({
        stream: `circulation-${story}`, expectedRevision: 'any' as const,
        events: [{ id: crypto.randomUUID(), type: 'StoryRead', data: { storyId: story, readerId: `emp-${['a', 'b', 'c'][i % 3]}` }, metadata: { at, actor: 'system' } }],
      })),
    );
    await h.runtime.waitFor(r.position);
    cookie = await cookieFor(h, VIEWER);
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('answers 503 with Retry-After and Refresh and says what is happening; then the page', async () => {
    const before = asOfPreparing.count;
    const res = await h.app.request(`/timelines?asOf=${date}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('refresh')).toBe('5');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Putting together the archive as it stood on 4 March 2021');
    expect(html).toContain(`href="/timelines?asOf=${date}"`);
    expect(asOfPreparing.count).toBe(before + 1);
    // the build went on: asked again (as the browser does), the page comes
    let page = await getPage(h, `/timelines?asOf=${date}`, cookie);
    for (let i = 0; i < 400 && page.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 25));
      page = await getPage(h, `/timelines?asOf=${date}`, cookie);
    }
    expect(page.status).toBe(200);
    expect(page.html).toContain('Hallway as it stood on 4 March 2021');
  }, 60_000);

  it('HALLWAY_ASOF_WAIT_SECONDS takes whole seconds from 0 to 600 (15 by default)', () => {
    expect(loadConfig({}).asOfWaitSeconds).toBe(15);
    expect(loadConfig({ HALLWAY_ASOF_WAIT_SECONDS: '0' }).asOfWaitSeconds).toBe(0);
    for (const bad of ['-1', '1.5', '601', 'soon']) expect(() => loadConfig({ HALLWAY_ASOF_WAIT_SECONDS: bad })).toThrow(/HALLWAY_ASOF_WAIT_SECONDS must be a whole number of seconds from 0 to 600/);
  });
});

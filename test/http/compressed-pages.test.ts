import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { testHallway } from '../helpers.ts';
import { cookieFor } from '../auth-helpers.ts';
import { givenStory } from './stories-given.ts';
import { importFile } from '../../src/importer.ts';
import { DEMO_ACCOUNTS } from '../../events/seed/org.ts';
import { COMPRESS_FROM_CHARS } from '../../src/http/compressed-pages.ts';

const demoFile = fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url));

/** src/http/compressed-pages.ts, through the real app over the demo archive. */
describe('large pages, gzip-compressed for a browser that takes it', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let leader: string;
  const get = (path: string, acceptEncoding?: string) =>
    h.app.request(path, { headers: { Cookie: leader, ...(acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {}) } });
  /** the page as a browser reads it: gunzipped when it says gzip */
  const read = async (res: Response): Promise<string> =>
    res.headers.get('content-encoding') === 'gzip' ? gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8') : res.text();

  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date('2026-11-21T09:00:00.000Z') });
    await importFile(h, demoFile);
    await h.runtime.waitFor(await h.store.headPosition());
    leader = await cookieFor(h, DEMO_ACCOUNTS.leader);
  });
  afterAll(async () => h.dispose());

  it('sends a large page compressed, the same page as without, and says it varies with Accept-Encoding', async () => {
    for (const path of ['/timelines', '/dashboard?window=all']) {
      const plain = await get(path);
      const page = await plain.text();
      expect(page.length).toBeGreaterThanOrEqual(COMPRESS_FROM_CHARS);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/);

      const zipped = await get(path, 'gzip, deflate, br, zstd');
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(zipped.headers.get('vary')).toMatch(/Accept-Encoding/);
      const bytes = Buffer.from(await zipped.arrayBuffer());
      expect(bytes.length).toBeLessThan(page.length / 4);
      expect(gunzipSync(bytes).toString('utf8')).toBe(page);
      // the security headers are there as on every page
      expect(zipped.headers.get('content-security-policy')).toBe(plain.headers.get('content-security-policy'));
    }
  });

  it('sends it as it is to a client that refuses gzip, and small pages always as they are', async () => {
    expect((await get('/timelines', 'gzip;q=0, br')).headers.get('content-encoding')).toBeNull();
    expect((await get('/timelines', 'identity')).headers.get('content-encoding')).toBeNull();
    const story = await get('/stories/story-open-house', 'gzip');
    expect(story.headers.get('content-encoding')).toBeNull();
    expect((await story.text()).length).toBeLessThan(COMPRESS_FROM_CHARS);
  });

  it('never sends a kept copy of what the page was: a new story is on the compressed page at once', async () => {
    const before = await read(await get('/timelines', 'gzip'));
    await givenStory(h, { tellerId: DEMO_ACCOUNTS.employee, title: 'A brand new telling of the night shift' });
    const after = await get('/timelines', 'gzip');
    expect(after.headers.get('content-encoding')).toBe('gzip');
    const page = await read(after);
    expect(before).not.toContain('A brand new telling of the night shift');
    expect(page).toContain('A brand new telling of the night shift');
    expect(page).toBe(await (await get('/timelines')).text());
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heatmapCell } from './heatmap-cell.ts';
import { randomUUID } from 'node:crypto';
import { givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import { tempDir } from '../helpers.ts';
import { loadConfig } from '../../src/config.ts';
import { openHallway } from '../../src/services.ts';
import { createApp } from '../../src/http/app.ts';
import { dashboardRenders, prepareDashboards } from '../../src/http/dashboard.tsx';
import { edgesHeld } from '../../src/read/edge-log.ts';
import { refreshesSettled } from '../../src/read/kept-latest.ts';

/**
 * Issue 10: in `serve` (projections in a worker thread) the dashboard is worked out on the
 * projection worker, never on the thread that answers requests, and served stale-while-revalidate:
 * a new exposure makes the next request get the last complete page at once (it says when its
 * figures are from) and start one recount on the worker; once that has finished, the page shows it.
 */
const NOW = Date.parse('2025-03-10T12:00:30Z');
const DAY = 86_400_000;
const at = (daysAgo: number): string => new Date(NOW - daysAgo * DAY).toISOString();

describe('the dashboard worked out on the projection worker, served while it is recounted', () => {
  const tmp = tempDir();
  // recounted as soon as asked (serve waits up to 5 s between recounts of a window: test/unit/kept-latest.test.ts)
  const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000', HALLWAY_MIN_GROUP: '2', HALLWAY_DASHBOARD_RECOUNT_SECONDS: '0' });
  let h: Awaited<ReturnType<typeof openHallway>>;
  let app: ReturnType<typeof createApp>;
  let leaderCookie = '';
  let rendersHere = 0;
  const put = async (stream: string, type: string, data: Record<string, unknown>, when: string) => {
    const r = await h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at: when, actor: 'test' } }]);
    await h.runtime.waitFor(r.position);
  };
  const get = async (path: string): Promise<string> => {
    const res = await app.request(path, { headers: { Cookie: leaderCookie } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const cell = heatmapCell;

  beforeAll(async () => {
    rendersHere = dashboardRenders.count;
    h = await openHallway(config, { clock: () => new Date(NOW), log: () => {}, projectIn: 'worker', prepare: prepareDashboards });
    app = createApp(h);
    await givenDepartment(h, 'eng', 'Engineering');
    await givenDepartment(h, 'ops', 'Operations');
    for (const [id, d] of [['e1', 'eng'], ['e2', 'eng'], ['o1', 'ops'], ['o2', 'ops']] as const) {
      await givenEmployee(h, { employeeId: id, name: `Person ${id}`, departmentId: d });
    }
    leaderCookie = (await signedIn(h, { roles: ['leader'], departmentId: 'ops' })).cookie;
    await put('theme-listening', 'ThemeDefined', { themeId: 'listening', name: 'Listening', description: '' }, at(30));
    await put('story-s1', 'StorySubmitted', { storyId: 's1', title: 'The open house', body: 'It happened.', tellerId: 'e1', leader: 'Maren', occurredOn: '2024', themes: ['listening'], relation: 'witnessed', anonymous: false }, at(10));
    await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'e1', toId: 'o1' }, at(9));
  });
  afterAll(async () => {
    await h.close();
    tmp.remove();
  });

  it('counts and renders nothing on the serving thread, which never loads the edge log', async () => {
    // (what was prepared at the start was counted before any event: refreshed on the first request)
    await get('/dashboard?window=all');
    await refreshesSettled(h.runtime.db);
    const page = await get('/dashboard?window=all');
    expect(page).toContain('The open house');
    expect(cell(page, 'Engineering', 'Operations')).toBe('1');
    expect(page).toMatch(/Figures as of <time datetime="2025-03-10T12:00:30.000Z">12:00:30 UTC<\/time>/);
    expect(dashboardRenders.count).toBe(rendersHere);
    expect(edgesHeld(h.runtime.db)).toBe(0);
  });

  it('serves the last complete page at once after a new exposure, and the new figure once the worker has counted it', async () => {
    await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'e1', toId: 'o2' }, at(1));
    // the recount is asked for; this request does not wait for it
    const [stale, alsoStale] = await Promise.all([get('/dashboard?window=all'), get('/dashboard?window=all')]);
    expect(cell(stale, 'Engineering', 'Operations')).toBe('1');
    expect(alsoStale).toBe(stale);
    await refreshesSettled(h.runtime.db);
    expect(cell(await get('/dashboard?window=all'), 'Engineering', 'Operations')).toBe('2');
    expect(dashboardRenders.count).toBe(rendersHere);
  });

  it('exports the figures as CSV, counted on the worker', async () => {
    const res = await app.request('/dashboard/export.csv?table=flows&window=all', { headers: { Cookie: leaderCookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"Engineering","Operations",2');
    expect(edgesHeld(h.runtime.db)).toBe(0);
  });
});

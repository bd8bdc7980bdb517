import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heatmapCell } from './heatmap-cell.ts';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cookieFor, givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import { tempDir } from '../helpers.ts';
import { loadConfig, viewsFile } from '../../src/config.ts';
import { openHallway } from '../../src/services.ts';
import { createApp } from '../../src/http/app.ts';
import { dashboardRenders, prepareDashboards } from '../../src/http/dashboard.tsx';
import { dashboardVersion } from '../../src/read/edge-log.ts';
import { viewsVersion } from '../../src/read/kept.ts';

/**
 * Issue 10: the dashboard's page for a window is worked out once and kept until what it reads
 * changes (departments, people, themes, stories, exposures: dashboardVersion), not until any read
 * model changes; and serve's start prepares every preset window before it says it is ready, so the
 * first page after a rebuild is not the one that counts. The clock stands still, so the windows do
 * not move while the test runs (they end at the next whole minute).
 */
const NOW = Date.parse('2025-03-10T12:00:30Z');
const DAY = 86_400_000;
const at = (daysAgo: number): string => new Date(NOW - daysAgo * DAY).toISOString();

describe('the dashboard kept per window until its inputs change', () => {
  const tmp = tempDir();
  const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000', HALLWAY_MIN_GROUP: '2' });
  const clock = () => new Date(NOW);
  let h: Awaited<ReturnType<typeof openHallway>>;
  let app: ReturnType<typeof createApp>;
  let leaderCookie = '';
  let rendersBeforeOpen = 0;
  let rendersAfterOpen = 0;
  const put = async (stream: string, type: string, data: Record<string, unknown>, when: string) => {
    const r = await h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at: when, actor: 'test' } }]);
    await h.runtime.waitFor(r.position);
  };
  const page = async (path = '/dashboard?window=all'): Promise<string> => {
    const res = await app.request(path, { headers: { Cookie: leaderCookie } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const cell = heatmapCell;

  beforeAll(async () => {
    // the archive, written by a first process
    const first = await openHallway(config, { clock, log: () => {} });
    h = first;
    await givenDepartment(first, 'eng', 'Engineering');
    await givenDepartment(first, 'ops', 'Operations');
    for (const [id, d] of [['e1', 'eng'], ['e2', 'eng'], ['e3', 'eng'], ['o1', 'ops'], ['o2', 'ops'], ['o3', 'ops']] as const) {
      await givenEmployee(first, { employeeId: id, name: `Person ${id}`, departmentId: d });
    }
    leaderCookie = (await signedIn(first, { roles: ['leader'], departmentId: 'ops' })).cookie;
    await put('theme-listening', 'ThemeDefined', { themeId: 'listening', name: 'Listening', description: '' }, at(30));
    await put('story-s1', 'StorySubmitted', { storyId: 's1', title: 'The open house', body: 'It happened.', tellerId: 'e1', leader: 'Maren', occurredOn: '2024', themes: ['listening'], relation: 'witnessed', anonymous: false }, at(10));
    await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'e1', toId: 'o1' }, at(9));
    await put('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'e2' }, at(8));
    await first.close();
    // then a rebuild: the read models are built again from the log, and serve's start prepares the windows
    rmSync(viewsFile(config), { force: true });
    rendersBeforeOpen = dashboardRenders.count;
    h = await openHallway(config, { clock, log: () => {}, prepare: prepareDashboards });
    rendersAfterOpen = dashboardRenders.count;
    app = createApp(h);
  });
  afterAll(async () => {
    await h.close();
    tmp.remove();
  });

  it('has every preset window worked out when the archive opens after a rebuild: the first pages count nothing', async () => {
    expect(rendersAfterOpen - rendersBeforeOpen).toBe(5);
    for (const w of ['7', '30', '90', '365']) expect(await page(`/dashboard?window=${w}`)).toContain('How stories travel');
    expect(await page('/dashboard?window=all')).toContain('The open house');
    expect(await page('/dashboard')).toContain('The open house');
    expect(dashboardRenders.count).toBe(rendersAfterOpen);
  });

  it('keeps the page while only other read models change (a sign-in), and shows the same page', async () => {
    const before = await page();
    const views = viewsVersion(h.runtime.db);
    const version = dashboardVersion(h.runtime.db);
    const renders = dashboardRenders.count;
    await cookieFor(h, 'e3'); // a session: the auth read model changes, nothing the dashboard reads
    await new Promise<void>((resolve) => setImmediate(resolve)); // (views.db's version is read once a turn)
    expect(viewsVersion(h.runtime.db)).not.toBe(views);
    expect(dashboardVersion(h.runtime.db)).toBe(version);
    expect(await page()).toBe(before);
    expect(dashboardRenders.count).toBe(renders);
  });

  it('shows a new exposure on the next page, worked out once for every request after it', async () => {
    const before = await page();
    expect(cell(before, 'Engineering', 'Operations')).toBe('1');
    const renders = dashboardRenders.count;
    await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'e1', toId: 'o2' }, at(1));
    const after = await page();
    expect(cell(after, 'Engineering', 'Operations')).toBe('2');
    expect(dashboardRenders.count).toBe(renders + 1);
    await Promise.all([page(), page(), page()]);
    expect(dashboardRenders.count).toBe(renders + 1);
    // a repeat exposure adds no one, but is a touch (Times heard): the page changes too
    const touchesBefore = /<a href="\/dashboard\/stories\/s1">The open house<\/a><\/td><td>\d+<\/td><td>(\d+)<\/td>/.exec(after)![1];
    await put('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'o2' }, at(0.5));
    const again = await page();
    expect(/<a href="\/dashboard\/stories\/s1">The open house<\/a><\/td><td>\d+<\/td><td>(\d+)<\/td>/.exec(again)![1]).toBe(String(Number(touchesBefore) + 1));
  });

  it('shows a renamed department on the next page', async () => {
    expect(await page()).toContain('<th scope="row">Operations</th>');
    await put('department-ops', 'DepartmentRenamed', { departmentId: 'ops', name: 'Field Operations' }, at(0.1));
    const after = await page();
    expect(after).toContain('<th scope="row">Field Operations</th>');
    expect(cell(after, 'Engineering', 'Field Operations')).toBe('2');
  });
});

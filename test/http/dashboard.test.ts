import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testHallway } from '../helpers.ts';
import { givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/** Distinctive names and ids, so that any leak into a leader's view is caught by a plain search. */
const PEOPLE = [
  ['emp-qx-ayla', 'Ayla Quennell-Voss', 'eng'], ['emp-qx-bors', 'Borislav Thistlewood', 'eng'], ['emp-qx-cato', 'Cato Wrenfield', 'eng'],
  ['emp-qx-dido', 'Dido Marchbanks', 'eng'], ['emp-qx-ewan', 'Ewan Pellegrini-Hoek', 'eng'],
  ['emp-qx-fenn', 'Fenna Oyelaran', 'ops'], ['emp-qx-gilo', 'Gilon Ashcombe', 'ops'], ['emp-qx-hana', 'Hanaë Vardaman', 'ops'],
  ['emp-qx-ivor', 'Ivor Castellane', 'ops'], ['emp-qx-juno', 'Juno Beaumarchais', 'ops'],
  ['emp-qx-kipp', 'Kipling Oduya', 'tiny'], ['emp-qx-lune', 'Lunette Harrowgate', 'tiny'],
] as const;

describe('the leadership dashboard', () => {
  let h: H;
  let leader: Awaited<ReturnType<typeof signedIn>>;
  let employee: Awaited<ReturnType<typeof signedIn>>;
  const day = 86_400_000;
  const ago = (days: number): string => new Date(Date.now() - days * day).toISOString();
  const put = async (stream: string, type: string, data: Record<string, unknown>, at: string) =>
    h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at, actor: 'test' } }]);

  beforeAll(async () => {
    h = await testHallway({ env: { HALLWAY_MIN_GROUP: '5' } });
    await givenDepartment(h, 'eng', 'Engineering');
    await givenDepartment(h, 'ops', 'Operations');
    await givenDepartment(h, 'tiny', 'Tiny <Team> & Co');
    await givenDepartment(h, 'hush', 'Hushed Archive');
    for (const [employeeId, name, departmentId] of PEOPLE) await givenEmployee(h, { employeeId, name, departmentId });
    for (let i = 0; i < 5; i++) await givenEmployee(h, { employeeId: `emp-qx-hush${i}`, name: `Hush Person ${i}`, departmentId: 'hush' });
    leader = await signedIn(h, { roles: ['leader'], departmentId: 'ops', name: 'Lead Reader' });
    employee = await signedIn(h, { departmentId: 'ops' });
    await put('theme-listening', 'ThemeDefined', { themeId: 'listening', name: 'Listening', description: '' }, ago(400));
    const story = (id: string, teller: string, title: string, at: string) =>
      put(`story-${id}`, 'StorySubmitted', { storyId: id, title, body: 'It happened.', tellerId: teller, leader: 'Maren', occurredOn: '2024', themes: ['listening'], relation: 'witnessed', anonymous: false }, at);
    // word of mouth: eng -> ops -> tiny
    await story('open-house', 'emp-qx-ayla', 'The open house', ago(10));
    await put('circulation-open-house', 'StoryShared', { storyId: 'open-house', fromId: 'emp-qx-ayla', toId: 'emp-qx-fenn' }, ago(9));
    await put('circulation-open-house', 'StoryHeard', { storyId: 'open-house', listenerId: 'emp-qx-gilo', fromId: 'emp-qx-fenn', setting: 'meeting' }, ago(8));
    await put('circulation-open-house', 'StoryHeard', { storyId: 'open-house', listenerId: 'emp-qx-kipp', fromId: 'emp-qx-gilo', setting: 'conversation' }, ago(7));
    await put('circulation-open-house', 'StoryRead', { storyId: 'open-house', readerId: 'emp-qx-bors' }, ago(6));
    // stayed home: only eng read it
    await story('local', 'emp-qx-cato', 'A quiet fix', ago(5));
    const r = await put('circulation-local', 'StoryRead', { storyId: 'local', readerId: 'emp-qx-dido' }, ago(4));
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  const get = (path: string, cookie: string) => h.app.request(path, { headers: { Cookie: cookie } });

  it('answers 403 to an employee without the leader role', async () => {
    const res = await get('/dashboard', employee.cookie);
    expect(res.status).toBe(403);
    expect((await get('/dashboard/export.csv?table=flows', employee.cookie)).status).toBe(403);
  });

  it('shows a leader the circulating stories, the flow matrix and the quiet corners, folding small departments', async () => {
    const res = await get('/dashboard', leader.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('The open house');
    expect(html.indexOf('The open house')).toBeLessThan(html.indexOf('A quiet fix')); // 4 reached before 1
    expect(html).toContain('Smaller departments');
    expect(html).not.toContain('Tiny'); // 2 people: folded, its name never shown
    expect(html).toMatch(/Quiet corners[\s\S]*Hushed Archive/);
    // the flow matrix is a table: Engineering's row, Operations' column (of Engineering, Hushed Archive, Operations, Smaller departments)
    expect(html).toMatch(/<th scope="col" class="corner">From ↓ to →<\/th><th scope="col"><span>Engineering<\/span><\/th><th scope="col"><span>Hushed Archive<\/span><\/th><th scope="col"><span>Operations<\/span><\/th>/);
    expect(html).toMatch(/<tr><th scope="row">Engineering<\/th><td class="q\d">2<\/td><td><\/td><td class="q\d">1<\/td>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<style|style="/);
  });

  it('never shows an employee name or id next to an exposure: dashboard, story page, CSV and API', async () => {
    const pages = [
      '/dashboard', '/dashboard?window=all', '/dashboard/stories/open-house', '/dashboard/stories/local',
      ...['stories', 'flows', 'departments', 'themes'].map((t) => `/dashboard/export.csv?table=${t}&window=all`),
      '/api/stories/open-house/spread', '/api/stories/local/spread',
    ];
    for (const p of pages) {
      const res = await get(p, leader.cookie);
      expect(res.status, p).toBe(200);
      const body = await res.text();
      for (const [id, name] of PEOPLE) {
        expect(body, `${p} leaks ${id}`).not.toContain(id);
        expect(body, `${p} leaks ${name}`).not.toContain(name);
        expect(body, `${p} leaks ${name}`).not.toContain(name.split(' ')[0]!);
      }
    }
  });

  it('exports the department table as CSV, ratios rounded to three decimals', async () => {
    const res = await get('/dashboard/export.csv?table=departments&window=30', leader.cookie);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('"department","storiesTold","receivedFromOthers","passedToOthers","eiIndex","quietCorner"');
    // Operations: eng->ops in, ops->(folded tiny) out, ops->ops within: E-I = (2 - 1) / 3
    expect(lines).toContain('"Operations",0,1,1,0.333,"no"');
    // Engineering told both stories, nothing came in (a quiet corner); 1 edge out, 2 within
    expect(lines).toContain('"Engineering",2,0,1,-0.333,"yes"');
    expect(lines).toContain('"Hushed Archive",0,0,0,,"yes"');
    expect(lines).toContain('"Smaller departments",0,1,0,1,"no"');
  });

  it('exports the themes: stories told and people reached in the window', async () => {
    const res = await get('/dashboard/export.csv?table=themes', leader.cookie);
    // both stories are themed "listening": 2 told, 4 + 1 people reached
    expect((await res.text()).trim().split('\r\n')).toEqual(['"theme","storiesTold","peopleReached"', '"Listening",2,5']);
  });

  it('re-renders the window form with 422 and a message beside the field for a bad window', async () => {
    const res = await get('/dashboard?from=2024-02-30', leader.cookie);
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="from-error">is not a real date/);
  });

  it('draws one story as a tree by department, with its figures', async () => {
    const html = await (await get('/dashboard/stories/open-house', leader.cookie)).text();
    expect(html).toContain('How “The open house” travelled');
    // ayla -> fenn -> gilo -> kipp, ayla -> bors: W = 6 + 6 + 4 + 4 = 20 over 10 pairs
    // figures by their plain names (each explained on hover and focus)
    expect(html).toMatch(/Word-of-mouth score \(structural virality\)<\/button><span role="tooltip"[^>]*>[^<]*<\/span><\/span><\/dt><dd>2<\/dd>/);
    expect(html).toMatch(/Longest chain<\/button><span role="tooltip"[^>]*>[^<]*<\/span><\/span><\/dt><dd>3<\/dd>/);
    expect(html).toContain('aria-label="The cascade: 5 people as a tree from the teller, drawn by department"');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testHallway } from '../helpers.ts';
import { formHeaders, signedIn } from '../auth-helpers.ts';
import { storyFigures } from '../../src/read/spread.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

describe('GET /api/stories/:id/spread and leaders\' API tokens', () => {
  let h: H;
  let leader: Awaited<ReturnType<typeof signedIn>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let employee: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    h = await testHallway();
    leader = await signedIn(h, { roles: ['leader'], departmentId: 'eng' });
    admin = await signedIn(h, { roles: ['admin'], departmentId: 'eng' });
    employee = await signedIn(h, { departmentId: 'ops' });
    const put = (stream: string, type: string, data: Record<string, unknown>) =>
      h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at: new Date().toISOString() } }]);
    await put('story-s1', 'StorySubmitted', { storyId: 's1', title: 'T', body: 'B', tellerId: leader.employeeId, leader: 'L', occurredOn: '2024', themes: [], relation: 'witnessed', anonymous: false });
    const r = await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: leader.employeeId, toId: employee.employeeId });
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  it('gives a leader the same JSON as `hallway spread`', async () => {
    const res = await h.app.request('/api/stories/s1/spread', { headers: { Cookie: leader.cookie } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(JSON.parse(JSON.stringify(storyFigures(h.runtime.db, 's1'))));
    expect(body).toMatchObject({ size: 2, touches: 1, crossDepartmentEdges: 1, flows: [{ from: 'eng', to: 'ops', count: 1 }] });
  });

  it('answers 404 for an unknown story, 403 to an employee, 401 to nobody', async () => {
    expect((await h.app.request('/api/stories/nope/spread', { headers: { Cookie: leader.cookie } })).status).toBe(404);
    expect((await h.app.request('/api/stories/s1/spread', { headers: { Cookie: employee.cookie } })).status).toBe(403);
    expect((await h.app.request('/api/stories/s1/spread')).status).toBe(401);
  });

  it('lets an admin issue a token for a leader, which works on the API only, until revoked', async () => {
    // <form method="post" action="/admin/api-tokens"><select name="employeeId">…<input name="label">
    const issued = await h.app.request('/admin/api-tokens', { method: 'POST', headers: formHeaders(admin.cookie), body: new URLSearchParams({ employeeId: leader.employeeId, label: 'board report' }) });
    expect(issued.status).toBe(200);
    const token = /<code class="token">(hwt_[^<]+)<\/code>/.exec(await issued.text())?.[1];
    expect(token).toBeDefined();
    // only its hash is in the log
    const log = JSON.stringify(await h.store.readAll());
    expect(log).not.toContain(token!.split('.')[1]);

    const bearer = { Authorization: `Bearer ${token}` };
    const ok = await h.app.request('/api/stories/s1/spread', { headers: bearer });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ size: 2 });
    // outside /api/ a token signs nobody in: pages send it to sign-in, and it cannot tell a story
    const page = await h.app.request('/dashboard', { headers: bearer });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/sign-in/);
    const head = await h.store.headPosition();
    const told = await h.app.request('/stories', { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ title: 't', body: 'b', leader: 'l', occurredOn: '2020', relation: 'heard' }) });
    expect(told.status).toBe(303);
    expect(told.headers.get('location')).toMatch(/^\/sign-in/);
    expect(await h.store.headPosition()).toBe(head);
    expect((await h.app.request('/api/stories/s1/spread', { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(401);

    const list = await (await h.app.request('/admin/api-tokens', { headers: { Cookie: admin.cookie } })).text();
    const tokenId = /\/admin\/api-tokens\/([a-z2-9]+)\/revoke/.exec(list)?.[1];
    expect(tokenId).toBe(token!.slice(4, 28));
    const revoked = await h.app.request(`/admin/api-tokens/${tokenId}/revoke`, { method: 'POST', headers: formHeaders(admin.cookie) });
    expect(revoked.status).toBe(303);
    expect((await h.app.request('/api/stories/s1/spread', { headers: bearer })).status).toBe(401);
  });

  it('refuses a token for someone without the leader role (422, message beside the field), appending nothing', async () => {
    const before = await h.store.headPosition();
    const res = await h.app.request('/admin/api-tokens', { method: 'POST', headers: formHeaders(admin.cookie), body: new URLSearchParams({ employeeId: employee.employeeId, label: 'x' }) });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="employeeId-error">choose a current employee with the leader role/);
    const bad = await h.app.request('/admin/api-tokens', { method: 'POST', headers: formHeaders(admin.cookie), body: new URLSearchParams({ employeeId: leader.employeeId, label: '' }) });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="label-error">is required/);
    expect(await h.store.headPosition()).toBe(before);
  });

  it('keeps the token pages to admins', async () => {
    expect((await h.app.request('/admin/api-tokens', { headers: { Cookie: leader.cookie } })).status).toBe(403);
  });
});

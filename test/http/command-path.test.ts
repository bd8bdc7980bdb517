import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentVersion } from '../../events/catalogue.ts';
import { testHallway } from '../helpers.ts';
import { formHeaders, givenDepartment, signedIn } from '../auth-helpers.ts';
import { get, givenStory, htmx, post, storyFields } from './stories-given.ts';
import { statusOf } from '../../src/http/refusal.ts';
import { ConcurrencyError } from '../../src/store/port.ts';
import { ProjectionLagError } from '../../src/projections/runtime.ts';
import { nameUuid } from '../../src/ids.ts';

/** The one command path (src/command.ts), the one refusal mapping and the zod-validated forms. */
describe('one command path', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    h = await testHallway();
    await givenDepartment(h, 'dept-noc', 'Network Operations Centre');
    admin = await signedIn(h, { roles: ['admin'], departmentId: 'dept-noc' });
    teller = await signedIn(h, { departmentId: 'dept-noc' });
  });
  afterAll(async () => h.dispose());

  it('writes every event with its schema version, the person-add and circulation writers included', async () => {
    const from = await h.store.headPosition();
    const added = await h.app.request('/admin/people', {
      method: 'POST',
      body: new URLSearchParams({ name: 'Versioned Person', email: 'versioned@example.test', departmentId: 'dept-noc', joinedOn: '2024-01-02', employeeId: 'emp-versioned' }).toString(),
      headers: formHeaders(admin.cookie),
    });
    expect(added.status).toBe(200);
    const storyId = await givenStory(h, { tellerId: teller.employeeId });
    const heard = await post(h.app, `/stories/${storyId}/heard`, admin.cookie, { setting: 'meeting' });
    expect(heard.status).toBe(303);
    const written = (await h.store.readAll({ after: from, limit: 1000 })).filter((e) => e.type !== 'StorySubmitted');
    expect(written.map((e) => e.type)).toEqual(expect.arrayContaining(['EmailClaimed', 'EmployeeJoined', 'InvitationIssued', 'StoryHeard']));
    for (const e of written) expect(e.metadata.v, e.type).toBe(currentVersion(e.type));
  });

  it('tells one story from a form sent twice: the second append is a no-op, not a second event', async () => {
    const fields = storyFields({ title: 'Sent twice, told once', idempotencyKey: '0b6c1d2e-0000-4000-8000-00000000abcd' });
    const first = await post(h.app, '/stories', teller.cookie, fields);
    const again = await post(h.app, '/stories', teller.cookie, fields);
    expect(first.status).toBe(303);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const storyId = first.headers.get('location')!.split('?')[0]!.split('/').pop()!;
    expect(await h.store.readStream(`story-${storyId}`)).toHaveLength(1);
  });

  it('maps every refusal to its status in one place', () => {
    expect(statusOf({ error: 'x', message: 'x', kind: 'forbidden' })).toBe(403);
    expect(statusOf({ error: 'x', message: 'x', kind: 'not-found' })).toBe(404);
    expect(statusOf({ error: 'x', message: 'x', kind: 'conflict' })).toBe(409);
    expect(statusOf({ error: 'x', message: 'x', kind: 'invalid' })).toBe(422);
    expect(statusOf({ error: 'x', message: 'x' })).toBe(422);
    expect(statusOf('invalid')).toBe(422);
    expect(statusOf(new ConcurrencyError('s', 'no_stream', 0))).toBe(409);
    expect(statusOf(new ProjectionLagError(1, 10))).toBe(503);
  });

  it('derives name-based UUIDs in one shape (version 5 layout, RFC variant), stable per name', () => {
    expect(nameUuid('a')).toBe(nameUuid('a'));
    expect(nameUuid('a')).not.toBe(nameUuid('b'));
    expect(nameUuid('hallway-demo:join:emp-001')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  describe('forms validated with @hono/zod-validator', () => {
    it('re-renders the add-person form for htmx as the admin frame with 422 and the messages beside the fields', async () => {
      const before = await h.store.headPosition();
      const res = await h.app.request('/admin/people', {
        method: 'POST',
        body: new URLSearchParams({ name: '', email: 'nope', departmentId: 'dept-noc', joinedOn: '2024-01-01', employeeId: '' }).toString(),
        headers: { ...formHeaders(admin.cookie), ...htmx },
      });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html.startsWith('<div id="admin-page"')).toBe(true);
      expect(html).toMatch(/id="add-name-error"[^>]*>Name is required/);
      expect(html).toMatch(/id="add-email-error"[^>]*>Email must be an email address/);
      expect(await h.store.headPosition()).toBe(before);
    });

    it('refuses a retraction without a reason with 422 beside the field; nothing appended', async () => {
      const storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'Keep me' });
      const before = await h.store.headPosition();
      const res = await post(h.app, `/stories/${storyId}/retract`, teller.cookie, { reason: '   ' });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('is required');
      expect(await h.store.headPosition()).toBe(before);
      // someone who may not change it still gets 403, even with an invalid form
      const other = await signedIn(h, { departmentId: 'dept-noc' });
      expect((await post(h.app, `/stories/${storyId}/retract`, other.cookie, { reason: '' })).status).toBe(403);
    });

    it('refuses an amendment without the revision it was based on (422, a message for the form)', async () => {
      const storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'Amend me' });
      const res = await post(h.app, `/stories/${storyId}/amend`, teller.cookie, { title: 'New', body: 'New text.', reason: 'why' });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('The form is missing the revision it was based on; open it again.');
      expect((await get(h.app, `/stories/${storyId}`, teller.cookie)).status).toBe(200);
    });

    it('refuses an API token without a label with 422 beside the field', async () => {
      const res = await h.app.request('/admin/api-tokens', {
        method: 'POST',
        body: new URLSearchParams({ employeeId: admin.employeeId, label: ' ' }).toString(),
        headers: formHeaders(admin.cookie),
      });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('is required');
    });
  });
});

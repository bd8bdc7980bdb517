import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { cookieFor, formHeaders, givenDepartment, signedIn } from '../auth-helpers.ts';
import { testHallway } from '../helpers.ts';
import { createApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/http/env.ts';
import { allProjections } from '../../src/projections/index.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import { openStore } from '../../src/store/open.ts';
import { addPeople } from '../../src/auth/people.ts';
import { emailHash, emailStream } from '../../src/domain/org.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';

/**
 * An email is claimed through its own stream (email-{sha256}), appended with no_stream: no lock in
 * any process. "Two processes" here are two Hallways over one data directory, each with its own
 * store connection, read models (a views file of its own) and app: they share only the event log.
 */

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

async function secondHallway(first: Awaited<ReturnType<typeof testHallway>>) {
  const store = await openStore(first.config);
  const views = openViews(join(first.dir, 'views-second-process.db'));
  const runtime = await startProjections({ store, views, projections: allProjections(), log: () => {} });
  await runtime.caughtUp;
  const ctx: AppContext = { store, runtime, config: first.config, clock: () => new Date(), newId: () => randomUUID(), setup: { token: null, expiresAt: 0 } };
  return {
    ...ctx,
    app: createApp(ctx),
    async close() {
      await runtime.close();
      views.close();
      await store.close();
    },
  };
}

type Hallway = Awaited<ReturnType<typeof testHallway>>;
type Backend = { name: string; open(): Promise<{ a: Hallway; b: Omit<Hallway, 'dispose' | 'dir' | 'whenReady'> & { close(): Promise<void> }; stop(): Promise<void> }> };

const backends: Backend[] = [
  {
    name: 'embedded store, two Hallways on one data directory',
    async open() {
      const a = await testHallway();
      const b = await secondHallway(a);
      return { a, b, stop: async () => {} };
    },
  },
  {
    name: 'EventStoreDB (wire server), two Hallways on one server',
    async open() {
      const server = await EsdbWireServer.start();
      const env = { EVENTSTORE_URL: server.url };
      const a = await testHallway({ env });
      const b = await testHallway({ env });
      return { a, b: { ...b, close: b.dispose }, stop: () => server.stop() };
    },
  },
];

describe.each(backends)('one email, one person, across processes (no process lock): $name', (backend) => {
  let a: Hallway;
  let b: Awaited<ReturnType<Backend['open']>>['b'];
  let stop: () => Promise<void>;
  let cookieA = '';
  let cookieB = '';
  const addOn = (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, cookie: string, fields: Record<string, string>) =>
    app.request('/admin/people', { method: 'POST', body: form(fields), headers: formHeaders(cookie) });
  const person = (employeeId: string, email: string) => ({ name: `Person ${employeeId}`, email, departmentId: 'dept-noc', joinedOn: '2024-03-01', employeeId });
  const joinedWith = async (email: string) =>
    (await a.store.readAll({ limit: 100_000 })).filter((e) => e.type === 'EmployeeJoined' && (e.data as { email?: string }).email?.toLowerCase() === email);

  beforeAll(async () => {
    ({ a, b, stop } = await backend.open());
    await givenDepartment(a, 'dept-noc', 'Network Operations Centre');
    const admin = await signedIn(a, { roles: ['admin'], departmentId: 'dept-noc' });
    cookieA = admin.cookie;
    await b.runtime.waitFor(await b.store.headPosition());
    cookieB = await cookieFor(b, admin.employeeId);
  });
  afterAll(async () => {
    await b.close();
    await a.dispose();
    await stop();
  });

  it('lets only one of two admins on two processes adding the same email at the same moment succeed; the other gets 422', async () => {
    // <form method="post" action="/admin/people"> sent at once from two browsers, each to its own Hallway process
    const [ra, rb] = await Promise.all([
      addOn(a.app, cookieA, person('emp-race-a', 'race@example.test')),
      addOn(b.app, cookieB, person('emp-race-b', 'RACE@example.test ')),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 422]);
    const loser = ra.status === 422 ? ra : rb;
    expect(await loser.text()).toMatch(/id="add-email-error"[^>]*>Email is already in use/);
    expect(await joinedWith('race@example.test')).toHaveLength(1);
  });

  it('refuses an email claimed through the other process, before its read models know the person; nothing appended', async () => {
    const first = await addOn(b.app, cookieB, person('emp-claimed-b', 'claimed@example.test'));
    expect(first.status).toBe(200);
    const before = await a.store.headPosition();
    const second = await addOn(a.app, cookieA, person('emp-claimed-a', 'Claimed@Example.test'));
    expect(second.status).toBe(422);
    expect(await second.text()).toMatch(/id="add-email-error"[^>]*>Email is already in use/);
    expect(await a.store.headPosition()).toBe(before);
  });

  it('completes a person-add that stopped after the email was claimed, when it is sent again', async () => {
    // the first try wrote the claim and then stopped (EventStoreDB appends stream after stream)
    const hash = emailHash('halfway@example.test');
    await a.store.append(emailStream(hash), [{ id: randomUUID(), type: 'EmailClaimed', data: { emailHash: hash, employeeId: 'emp-halfway' }, metadata: { at: new Date().toISOString(), actor: 'system', v: 1 } }], {
      expectedRevision: 'no_stream',
    });
    const again = await addOn(a.app, cookieA, person('emp-halfway', 'halfway@example.test'));
    expect(again.status).toBe(200);
    const link = (await again.text()).match(/value="http:\/\/localhost:3000(\/invitation\/[a-z2-9]{48})"/);
    expect(link).not.toBeNull();
    expect((await a.app.request(link![1]!)).status).toBe(200);
    expect(await joinedWith('halfway@example.test')).toHaveLength(1);
    // sent once more (a third time): still one person, and the newest invitation is the one that works
    const third = await addOn(a.app, cookieA, person('emp-halfway', 'halfway@example.test'));
    expect(third.status).toBe(200);
    expect(await joinedWith('halfway@example.test')).toHaveLength(1);
    expect((await a.store.readStream(emailStream(hash))).length).toBe(1);
  });

  it('adds one person from an add form sent twice with the employee id left blank (its request key names the person)', async () => {
    const page = await (await a.app.request('/admin/people', { headers: { Cookie: cookieA } })).text();
    const key = page.match(/name="requestKey" value="([0-9a-f-]{36})"/)?.[1];
    expect(key).toBeDefined();
    const fields = { ...person('', 'blank-id@example.test'), requestKey: key! };
    const first = await addOn(a.app, cookieA, fields);
    const again = await addOn(b.app, cookieB, fields);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await joinedWith('blank-id@example.test')).toHaveLength(1);
    // the same key with something else typed (the form brought back and edited) is another person: refused for the email
    const edited = await addOn(a.app, cookieA, { ...fields, name: 'Someone Else' });
    expect(edited.status).toBe(422);
  });

  it('completes a CSV import that stopped after its first person, when the same file is sent again', async () => {
    const csv = 'employeeId,name,email,departmentId,joinedOn\nemp-csv-1,First Row,csv1@example.test,dept-noc,2020-01-15\nemp-csv-2,Second Row,csv2@example.test,dept-noc,2020-01-15\n';
    // what a stopped import leaves on EventStoreDB: the first person's streams, not the second's
    const partial = await addPeople(a, 'system', [{ person: { employeeId: 'emp-csv-1', name: 'First Row', email: 'csv1@example.test', departmentId: 'dept-noc', joinedOn: '2020-01-15' } }]);
    expect('error' in partial).toBe(false);
    const res = await a.app.request('/admin/import', { method: 'POST', body: form({ csv }), headers: formHeaders(cookieA) });
    expect(res.status).toBe(200);
    expect(await joinedWith('csv1@example.test')).toHaveLength(1);
    expect(await joinedWith('csv2@example.test')).toHaveLength(1);
  });

  it('completes adding people on a store that appends stream after stream (EventStoreDB) and stopped at person 2 of 3, when sent again', async () => {
    const people = [1, 2, 3].map((n) => ({ person: { employeeId: `emp-seq-${n}`, name: `Seq ${n}`, email: `seq${n}@example.test`, departmentId: 'dept-noc', joinedOn: '2021-05-01' } }));
    // the real store, appending a batch's items one by one as the EventStoreDB adapter does, and
    // failing after the fourth (person 1's claim, employee and credential; person 2's claim)
    let written = 0;
    const sequential = {
      ...a.store,
      async appendBatch(items: Parameters<typeof a.store.appendBatch>[0]) {
        let last = { revision: -1, position: 0 };
        for (const it of items) {
          if (written === 4) throw new Error('connection lost');
          last = await a.store.append(it.stream, it.events, { expectedRevision: it.expectedRevision ?? 'any' });
          written += 1;
        }
        return last;
      },
    };
    await expect(addPeople({ ...a, store: sequential }, 'system', people)).rejects.toThrow('connection lost');
    expect(await joinedWith('seq1@example.test')).toHaveLength(1);
    expect(await joinedWith('seq2@example.test')).toHaveLength(0);
    const again = await addPeople(a, 'system', people);
    expect('error' in again).toBe(false);
    for (const n of [1, 2, 3]) {
      expect(await joinedWith(`seq${n}@example.test`)).toHaveLength(1);
      expect(await a.store.readStream(emailStream(emailHash(`seq${n}@example.test`)))).toHaveLength(1);
    }
  });

  it('keeps an email claimed when its holder leaves', async () => {
    await a.runtime.waitFor(await a.store.headPosition());
    const left = await a.app.request('/admin/people/emp-claimed-b/left', { method: 'POST', body: '', headers: formHeaders(cookieA) });
    expect(left.status).toBe(303);
    const reuse = await addOn(a.app, cookieA, person('emp-reuse', 'claimed@example.test'));
    expect(reuse.status).toBe(422);
  });
});

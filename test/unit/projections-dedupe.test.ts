/**
 * Projections on EventStoreDB (through the real client and the wire server), where one event id
 * can reach them twice: the server redelivers it, or an append with `any` wrote it twice after the
 * server forgot its id cache. The read models count it once.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import type { Projection, Runtime, Views } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import type { EventStore, NewEvent } from '../../src/store/port.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { tempDir } from '../helpers.ts';

const joined = (employeeId: string): NewEvent => ({
  id: randomUUID(),
  type: 'EmployeeJoined',
  data: { employeeId, name: `Name ${employeeId}`, departmentId: 'd-1', joinedOn: '2024-01-02' },
  metadata: { at: '2024-01-02T09:00:00.000Z', actor: 'system' },
});

/** counts every event it is given: a repeat shows as a count too high */
function countProjection(): Projection {
  return {
    name: 'test-count',
    version: 1,
    setup(db) {
      db.exec('CREATE TABLE IF NOT EXISTS test_count (n INTEGER NOT NULL); INSERT INTO test_count SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM test_count)');
    },
    reset(db) {
      db.exec('DROP TABLE IF EXISTS test_count');
    },
    apply(db) {
      db.exec('UPDATE test_count SET n = n + 1');
    },
  };
}

const count = (db: Views): number => (db.prepare('SELECT n FROM test_count').get() as { n: number }).n;
const appliedIds = (db: Views): number => (db.prepare('SELECT count(*) AS n FROM applied_event_ids').get() as { n: number }).n;

describe('projections apply an event id once on EventStoreDB', () => {
  let server: EsdbWireServer;
  let store: EventStore;
  let tmp: ReturnType<typeof tempDir>;
  let views: Views;
  let rt: Runtime | undefined;

  beforeEach(async () => {
    server = await EsdbWireServer.start();
    store = openEventStoreDB(server.url, { resubscribeDelayMs: 20, log: () => {} });
    tmp = tempDir('hallway-dedupe-');
    views = openViews(join(tmp.dir, 'views.db'));
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    await store.close();
    await server.stop();
    views.close();
    tmp.remove();
  });

  it('counts each event once when the server delivers every event twice', async () => {
    await store.append('employee-1', [joined('1')]);
    server.faults.deliverTwice = true;
    rt = await startProjections({ store, views, projections: [countProjection()], log: () => {} });
    await rt.caughtUp;
    const r = await store.append('employee-2', [joined('2')]);
    await store.append('employee-3', [joined('3')]);
    await rt.waitFor((await store.headPosition()), 5000);
    expect(r.position).toBeGreaterThan(0);
    expect(count(views)).toBe(3);
  });

  it('counts an id once when an append with `any` wrote it twice (after a server restart emptied the id cache)', async () => {
    const e = joined('1');
    await store.append('employee-1', [e]);
    await server.restart();
    expect(await store.streamRevision('employee-1')).toBe(0); // reconnects the client
    await store.append('employee-1', [e]);
    expect((await store.readStream('employee-1')).map((x) => x.id)).toEqual([e.id, e.id]);
    rt = await startProjections({ store, views, projections: [countProjection()], log: () => {} });
    await rt.caughtUp;
    expect(count(views)).toBe(1);
    // and across a restart of the projections (the applied ids live in views.db)
    await rt.close();
    rt = await startProjections({ store, views, projections: [countProjection()], log: () => {} });
    await rt.caughtUp;
    await store.append('employee-1', [e]); // the server remembers it now: a no-op
    await store.append('employee-2', [joined('2')]);
    await rt.waitFor(await store.headPosition(), 5000);
    expect(count(views)).toBe(2);
  });

  it('rejects waitFor when the subscription stops for good (access denied after a reconnect), instead of waiting out its timeout', async () => {
    await store.append('employee-1', [joined('1')]);
    const logged: string[] = [];
    rt = await startProjections({ store, views, projections: [countProjection()], log: (m) => logged.push(m) });
    await rt.caughtUp;
    const pending = rt.waitFor(Number.MAX_SAFE_INTEGER, 60_000);
    await server.stop();
    server.faults.denyAll = true;
    await server.restart();
    await expect(pending).rejects.toThrow(/subscription failed.*access denied/i);
    await expect(rt.waitFor(Number.MAX_SAFE_INTEGER, 60_000)).rejects.toThrow(/subscription failed/);
    expect(logged.join('\n')).toMatch(/access denied/i);
  });

  it('refuses to start when the log cannot be read (access denied), instead of hanging', async () => {
    server.faults.denyAll = true;
    await expect(startProjections({ store, views, projections: [countProjection()], log: () => {} })).rejects.toThrow(/access denied/i);
  });
});

describe('projections on the embedded store keep no applied-id table rows', () => {
  it('writes no applied ids when the store guarantees unique ids', async () => {
    const tmp = tempDir('hallway-dedupe-');
    const store = openEmbeddedStore(join(tmp.dir, 'events.db'));
    const views = openViews(join(tmp.dir, 'views.db'));
    try {
      await store.append('employee-1', [joined('1'), joined('2')]);
      const rt = await startProjections({ store, views, projections: [countProjection()], log: () => {} });
      await rt.caughtUp;
      await rt.close();
      expect(count(views)).toBe(2);
      expect(appliedIds(views)).toBe(0);
    } finally {
      await store.close();
      views.close();
      tmp.remove();
    }
  });
});

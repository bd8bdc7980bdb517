import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import type { Projection, Views } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { EventStore } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';

const joined = (employeeId: string, name = `Name ${employeeId}`) => ({
  id: randomUUID(),
  type: 'EmployeeJoined',
  data: { employeeId, name, departmentId: 'd-1', joinedOn: '2024-01-02' },
  metadata: { at: '2024-01-02T09:00:00.000Z', actor: 'system' },
});

/** A small real projection: employee names, and every event it applied (to see re-applies). */
function namesProjection(applied: string[] = [], failOn?: string): Projection {
  return {
    name: 'test-names',
    version: 1,
    setup(db) {
      db.exec('CREATE TABLE IF NOT EXISTS test_names (employee_id TEXT PRIMARY KEY, name TEXT NOT NULL)');
    },
    reset(db) {
      db.exec('DROP TABLE IF EXISTS test_names');
    },
    apply(db, e) {
      if (e.type !== 'EmployeeJoined') return;
      if (e.data.employeeId === failOn) throw new Error(`cannot project ${failOn}`);
      db.prepare('INSERT INTO test_names (employee_id, name) VALUES (?, ?)').run(e.data.employeeId, e.data.name);
      applied.push(e.data.employeeId);
    },
  };
}

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

const dump = (db: Views) => ({
  names: db.prepare('SELECT employee_id, name FROM test_names ORDER BY employee_id').all(),
  count: db.prepare('SELECT n FROM test_count').get(),
  tables: db.prepare("SELECT name, sql FROM sqlite_master WHERE name LIKE 'test_%' ORDER BY name").all(),
});

/** A projection in a lane of its own that only observes, once per event, what `look` reads. */
const slowLane = (look: () => void): Projection => ({
  name: 'test-slow',
  version: 1,
  lane: 'slow',
  setup() {},
  reset() {},
  apply() {
    look();
  },
});

describe('projections runtime', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: EventStore;
  let viewsFile: string;
  beforeEach(() => {
    tmp = tempDir('hallway-projections-');
    store = openEmbeddedStore(join(tmp.dir, 'events.db'));
    viewsFile = join(tmp.dir, 'views.db');
  });
  afterEach(async () => {
    await store.close();
    tmp.remove();
  });

  it('applies each event once when two processes project into the same views.db (a CLI command while serve runs)', async () => {
    // two runtimes with their own connections, as `hallway serve` and `hallway spread` would have
    const serveViews = openViews(viewsFile);
    const serve = await startProjections({ store, views: serveViews, projections: [countProjection()], log: () => {} });
    await serve.caughtUp;
    const otherStore = openEmbeddedStore(join(tmp.dir, 'events.db'));
    const cliViews = openViews(viewsFile);
    const cli = await startProjections({ store: otherStore, views: cliViews, projections: [countProjection()], log: () => {} });
    await cli.caughtUp;
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await store.append(`employee-x${i}`, [joined(`x${i}`)])).position;
    await Promise.all([serve.waitFor(last, 3000), cli.waitFor(last, 3000)]);
    await cli.close();
    cliViews.close();
    await otherStore.close();
    last = (await store.append('employee-x5', [joined('x5')])).position;
    await serve.waitFor(last, 3000);
    expect(serveViews.prepare('SELECT n FROM test_count').get()).toEqual({ n: 6 });
    await serve.close();
    serveViews.close();
  });

  it('resolves waitFor once an append has been projected', async () => {
    const views = openViews(viewsFile);
    const rt = await startProjections({ store, views, projections: [namesProjection()], log: () => {} });
    await rt.caughtUp;
    const { position } = await store.append('employee-e1', [joined('e1', 'Ada')]);
    await rt.waitFor(position, 2000);
    expect(views.prepare('SELECT name FROM test_names WHERE employee_id = ?').get('e1')).toEqual({ name: 'Ada' });
    expect(rt.status()).toEqual([{ name: 'test-names', position }]);
    // an unreachable position times out instead of hanging
    await expect(rt.waitFor(position + 100, 50)).rejects.toThrow(/did not reach position/);
    await rt.close();
    views.close();
  });

  it('catches up from its checkpoint after a restart without applying anything twice', async () => {
    const applied: string[] = [];
    let views = openViews(viewsFile);
    let rt = await startProjections({ store, views, projections: [namesProjection(applied)], log: () => {} });
    const first = await store.append('employee-e1', [joined('e1')]);
    await store.append('employee-e2', [joined('e2')]);
    await rt.waitFor(first.position + 1);
    await rt.close();
    views.close();
    expect(applied).toEqual(['e1', 'e2']);

    // written while no projection ran (as by `hallway import` in another process)
    await store.append('employee-e3', [joined('e3')]);
    const last = await store.append('employee-e4', [joined('e4')]);
    views = openViews(viewsFile);
    rt = await startProjections({ store, views, projections: [namesProjection(applied)], log: () => {} });
    await rt.caughtUp;
    expect(applied).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(rt.status()[0]!.position).toBe(last.position);
    expect(views.prepare('SELECT count(*) AS n FROM test_names').get()).toEqual({ n: 4 });
    await rt.close();
    views.close();
  });

  it('rebuilds the same tables when views.db is deleted', async () => {
    for (let i = 1; i <= 30; i++) await store.append(`employee-e${i}`, [joined(`e${i}`)]);
    const run = async () => {
      const views = openViews(viewsFile);
      const rt = await startProjections({ store, views, projections: [namesProjection(), countProjection()], log: () => {} });
      await rt.caughtUp;
      const d = dump(views);
      await rt.close();
      views.close();
      return d;
    };
    const before = await run();
    expect(before.names).toHaveLength(30);
    expect(before.count).toEqual({ n: 30 });
    for (const f of [viewsFile, `${viewsFile}-wal`, `${viewsFile}-shm`]) rmSync(f, { force: true });
    const after = await run();
    expect(after).toEqual(before);
  });

  it('stops a throwing projection at that event, logs its name, position and error, and keeps the others going', async () => {
    const logs: string[] = [];
    const p1 = await store.append('employee-e1', [joined('e1')]);
    const bad = await store.append('employee-e2', [joined('e2')]);
    const p3 = await store.append('employee-e3', [joined('e3')]);
    const views = openViews(viewsFile);
    const rt = await startProjections({ store, views, projections: [namesProjection([], 'e2'), countProjection()], log: (m) => logs.push(m) });
    await rt.caughtUp;
    const [names, count] = rt.status();
    expect(names!.failed).toEqual({ position: bad.position, error: 'cannot project e2' });
    expect(names!.position).toBeLessThan(bad.position);
    expect(count).toEqual({ name: 'test-count', position: p3.position });
    expect(logs.some((m) => m.includes('test-names') && m.includes(String(bad.position)) && m.includes('cannot project e2'))).toBe(true);
    // its checkpoint did not pass the failing event, and nothing after it was applied
    const cp = views.prepare('SELECT position FROM checkpoints WHERE name = ?').get('test-names') as { position: number };
    expect(cp.position).toBeLessThan(bad.position);
    expect(views.prepare('SELECT employee_id FROM test_names').all()).not.toContainEqual({ employee_id: 'e3' });
    expect(p1.position).toBeLessThan(bad.position);
    // later events do not revive it
    await store.append('employee-e4', [joined('e4')]);
    await rt.waitFor(p3.position + 1);
    expect(rt.status()[0]!.failed?.position).toBe(bad.position);
    await rt.close();
    views.close();
  });

  it('commits a lane before another lane applies the same events: the others do not wait for a projection in a lane of its own', async () => {
    for (const e of ['e1', 'e2', 'e3']) await store.append(`employee-${e}`, [joined(e)]);
    const views = openViews(viewsFile);
    // what a second connection (the serving thread's) sees committed while the slow lane applies
    const reader = openViews(viewsFile);
    const seen: number[] = [];
    const slow = slowLane(() =>
      seen.push(reader.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE name = 'test_names'").pluck().get()! > 0
        ? reader.prepare<[], number>('SELECT count(*) FROM test_names').pluck().get()!
        : 0));
    const rt = await startProjections({ store, views, projections: [namesProjection(), slow], log: () => {} });
    const head = await store.headPosition();
    await rt.waitFor(head, 3000);
    // the names lane had committed all three before the slow lane applied the first of them
    expect(seen).toEqual([3, 3, 3]);
    // waitFor follows the slowest lane: both are at the head
    expect(rt.status()).toEqual([{ name: 'test-names', position: head }, { name: 'test-slow', position: head }]);
    await rt.close();
    reader.close();
    views.close();
  });

  it('lets the main lane catch up first: a later lane applies its full batches once the main lane has applied the whole backlog', async () => {
    await store.append('employee-many', Array.from({ length: 300 }, (_, i) => joined(`e${i}`)));
    const views = openViews(viewsFile);
    const reader = openViews(viewsFile);
    const seen: number[] = [];
    const slow = slowLane(() => seen.push(reader.prepare<[], number>('SELECT count(*) FROM test_names').pluck().get()!));
    // batches of 64 events: without priority the lanes would take turns, a batch each
    const rt = await startProjections({ store, views, projections: [namesProjection(), slow], log: () => {}, batch: { min: 64, max: 64, targetMs: 1000 } });
    await rt.waitFor(await store.headPosition(), 5000);
    expect(seen).toEqual(Array(300).fill(300));
    await rt.close();
    reader.close();
    views.close();
  });

  it('keeps a later lane behind the main lane while another process appends less than a batch at a time (an import beside serve)', async () => {
    const views = openViews(viewsFile);
    const reader = openViews(viewsFile);
    // what the main lane had committed when the later lane applied each event (the n-th event is the n-th name)
    const seen: number[] = [];
    const slow = slowLane(() => seen.push(reader.prepare<[], number>('SELECT count(*) FROM test_names').pluck().get()!));
    // a main lane that costs time per event, as the stories and search models do under an import
    const names = namesProjection();
    const costly: Projection = { ...names, apply: (db, e) => { const until = performance.now() + 2; while (performance.now() < until); names.apply(db, e); } };
    // the main lane's batches shrink to what takes 20 ms (a few events); the later lane's stay larger than what arrives
    const rt = await startProjections({ store, views, projections: [costly, slow], log: () => {}, batch: { min: 4, max: 64, targetMs: 20 } });
    // another process: its appends are found by polling, by each lane on its own timer
    const other = openEmbeddedStore(join(tmp.dir, 'events.db'));
    for (let round = 0; round < 5; round++) {
      const r = await other.appendBatch(Array.from({ length: 40 }, (_, i) => ({ stream: `employee-r${round}-${i}`, events: [joined(`r${round}-${i}`)] })));
      await rt.waitFor(r.position, 10_000);
    }
    expect(seen).toHaveLength(200);
    // each event was in the main lane's read models before the later lane applied it
    seen.forEach((count, n) => expect(count).toBeGreaterThanOrEqual(n + 1));
    await other.close();
    await rt.close();
    reader.close();
    views.close();
  });

  it('keeps a later lane behind the main lane while something else holds the thread longer than the main lane takes a batch (the chain keeper, a dashboard job)', async () => {
    await store.append('employee-many', Array.from({ length: 200 }, (_, i) => joined(`e${i}`)));
    const views = openViews(viewsFile);
    const reader = openViews(viewsFile);
    const seen: number[] = [];
    const slow = slowLane(() => seen.push(reader.prepare<[], number>('SELECT count(*) FROM test_names').pluck().get()!));
    // from the main lane's first batch until it has applied all 200, other work on this thread
    // holds it for 300 ms at a time: the main lane commits nothing meanwhile, which is not the
    // same as having caught up
    const names = namesProjection();
    let holds = 0;
    let applied = 0;
    const hold = (): void => {
      holds += 1;
      const until = performance.now() + 300;
      while (performance.now() < until);
      if (applied < 200) setTimeout(hold, 0);
    };
    const main: Projection = { ...names, apply: (db, e) => { if (applied++ === 0) setTimeout(hold, 0); names.apply(db, e); } };
    const rt = await startProjections({ store, views, projections: [main, slow], log: () => {}, batch: { min: 50, max: 50, targetMs: 1000 } });
    await rt.waitFor(await store.headPosition(), 10_000);
    expect(holds).toBeGreaterThan(1);
    // the later lane applied nothing until the main lane had applied all 200
    expect(seen).toEqual(Array(200).fill(200));
    await rt.close();
    reader.close();
    views.close();
  });

  it('applies a later lane\'s queue in pieces while another process appends, so the main lane never waits a whole batch behind it', async () => {
    const views = openViews(viewsFile);
    // the later lane records the size of each batch it applies; it costs 2 ms an event
    const pieces: number[] = [];
    const slow: Projection = {
      ...slowLane(() => {}),
      applyBatch: (_db, events) => {
        let n = 0;
        for (const _ of events) {
          const until = performance.now() + 2;
          while (performance.now() < until);
          n += 1;
        }
        pieces.push(n);
      },
    };
    const rt = await startProjections({ store, views, projections: [namesProjection(), slow], log: () => {}, batch: { min: 4, max: 300, targetMs: 10_000 } });
    // a first batch, from this process: the lanes learn what an event costs them
    const first = await store.append('employee-first', Array.from({ length: 10 }, (_, i) => joined(`f${i}`)));
    await rt.waitFor(first.position, 5000);
    // another process appends 300 at once: the later lane then applies them in pieces of about 100 ms
    const other = openEmbeddedStore(join(tmp.dir, 'events.db'));
    const r = await other.appendBatch(Array.from({ length: 300 }, (_, i) => ({ stream: `employee-o${i}`, events: [joined(`o${i}`)] })));
    await rt.waitFor(r.position, 10_000);
    const after = pieces.slice(1);
    expect(after.reduce((a, b) => a + b, 0)).toBe(300);
    // 100 ms at 2 ms an event: pieces of at most 50
    expect(Math.max(...after)).toBeLessThanOrEqual(50);
    await other.close();
    await rt.close();
    views.close();
  });

  it('lets other work on its thread follow the main lane (afterMainLane): it resolves once the main lane has applied the position and the log holds nothing newer', async () => {
    await store.append('employee-many', Array.from({ length: 200 }, (_, i) => joined(`e${i}`)));
    const views = openViews(viewsFile);
    const reader = openViews(viewsFile);
    const rt = await startProjections({ store, views, projections: [namesProjection()], log: () => {}, batch: { min: 32, max: 32, targetMs: 1000 } });
    // asked before the main lane has applied anything past its first batch
    await rt.afterMainLane(10);
    expect(reader.prepare<[], number>('SELECT count(*) FROM test_names').pluck().get()).toBe(200);
    // another process appends: the main lane must apply those too before the wait is over
    const other = openEmbeddedStore(join(tmp.dir, 'events.db'));
    await other.append('employee-late', [joined('late')]);
    await rt.afterMainLane(10);
    expect(reader.prepare<[], number>('SELECT count(*) FROM test_names').pluck().get()).toBe(201);
    await other.close();
    await rt.close();
    reader.close();
    views.close();
  });

  it('reports the event a projection applying in batches failed at', async () => {
    const logs: string[] = [];
    await store.append('employee-e1', [joined('e1')]);
    const bad = await store.append('employee-e2', [joined('e2')]);
    await store.append('employee-e3', [joined('e3')]);
    const names = namesProjection([], 'e2');
    const batched: Projection = { ...names, applyBatch: (db, events) => { for (const e of events) names.apply(db, e); } };
    const views = openViews(viewsFile);
    const rt = await startProjections({ store, views, projections: [batched], log: (m) => logs.push(m) });
    await rt.caughtUp;
    expect(rt.status()[0]!.failed).toEqual({ position: bad.position, error: 'cannot project e2' });
    // the whole batch rolled back: not even e1, applied before e2 in it, is in the table
    expect(views.prepare('SELECT count(*) AS n FROM test_names').get()).toEqual({ n: 0 });
    await rt.close();
    views.close();
  });
});

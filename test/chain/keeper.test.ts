/**
 * The chain keeper (src/chain/keeper.ts) on a real embedded store and views.db: the daily seal at
 * the head, which `serve` makes when the last seal is older than a day and events have come
 * since, and nothing without a seal key. (Seals at every 1,000th position: test/cli/verify.test.ts
 * and test/http/receipts.test.ts; two processes: test/cli/several-processes.test.ts.)
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GIVE_WAY_EVERY, startChainKeeper } from '../../src/chain/keeper.ts';
import type { ChainKeeper } from '../../src/chain/keeper.ts';
import { chainOf } from '../../src/chain/link.ts';
import { keyIdOf } from '../../src/chain/seal.ts';
import type { SealKey } from '../../src/chain/seal.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import type { Projection, Views } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { EventStore, RecordedEvent } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const key: SealKey = { privateKey, publicKey, keyId: keyIdOf(publicKey) };
const tmp = tempDir('hallway-keeper-');
const store: EventStore = openEmbeddedStore(join(tmp.dir, 'events.db'), { synchronous: 'NORMAL' });
const views: Views = openViews(join(tmp.dir, 'views.db'));
const HOUR = 3600_000;
const start = Date.UTC(2026, 5, 1, 9);

afterAll(async () => {
  await store.close();
  views.close();
  tmp.remove();
});

async function some(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    await store.append(`export-${id}`, [{ id, type: 'DataExported', data: { exportId: id, what: 'log-export', detail: 'x' }, metadata: { at: new Date(start).toISOString() } }]);
  }
}

async function everything(): Promise<RecordedEvent[]> {
  return store.readAll({ limit: 100_000 });
}

const seals = async (): Promise<{ upToPosition: number; chainHash: string }[]> =>
  (await everything()).filter((e) => e.type === 'LogSealed').map((e) => e.data as { upToPosition: number; chainHash: string });

/** a keeper at `now`, run until it has chained the whole log and its daily check is done */
async function keeperAt(now: number, sealKey: SealKey | null = key): Promise<ChainKeeper> {
  const keeper = startChainKeeper({ store, views, ...(sealKey ? { sealKey } : {}), clock: () => new Date(now), log: () => {}, checkEveryMs: 60_000 });
  await keeper.caughtUp;
  // the daily check runs once caught up; a head seal it appends is then chained too
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 5));
    if (keeper.head().position >= (await store.headPosition())) break;
  }
  return keeper;
}

describe('the chain keeper', () => {
  it('without a seal key keeps the chain but seals nothing', async () => {
    await some(10);
    const keeper = await keeperAt(start, null);
    expect(keeper.head().ordinal).toBe(10);
    expect(keeper.head().link.equals(chainOf(await everything())[9]!)).toBe(true);
    expect(await keeper.sealHead()).toBeUndefined();
    await keeper.close();
    expect(await seals()).toEqual([]);
  });

  it('with a key and no seal yet, seals the head once caught up, with the recomputed link', async () => {
    const keeper = await keeperAt(start);
    await keeper.close();
    const log = await everything();
    expect(await seals()).toEqual([expect.objectContaining({ upToPosition: 10, chainHash: chainOf(log)[9]!.toString('hex') })]);
  });

  it('does not seal again within a day, though events came since', async () => {
    await some(5);
    const keeper = await keeperAt(start + 23 * HOUR);
    await keeper.close();
    expect((await seals()).map((s) => s.upToPosition)).toEqual([10]);
  });

  it('seals the head when the last seal is older than a day and events came since', async () => {
    const keeper = await keeperAt(start + 25 * HOUR);
    await keeper.close();
    // 10 events, the seal at 11, 5 more: the head was 16
    expect((await seals()).map((s) => s.upToPosition)).toEqual([10, 16]);
  });

  it('does not seal a head where only seals came since the last seal', async () => {
    const keeper = await keeperAt(start + 80 * HOUR);
    expect(await keeper.sealHead()).toBeUndefined();
    await keeper.close();
    expect((await seals()).map((s) => s.upToPosition)).toEqual([10, 16]);
  });
});

describe('the chain keeper beside the projections (serve\'s worker)', () => {
  it('follows the main lane during a catch-up: past each GIVE_WAY_EVERY events it waits until the main lane has applied the log, then chains all of it', async () => {
    const dir = tempDir('hallway-keeper-beside-');
    const log = openEmbeddedStore(join(dir.dir, 'events.db'), { synchronous: 'NORMAL' });
    const db = openViews(join(dir.dir, 'views.db'));
    const n = 2 * GIVE_WAY_EVERY + 500;
    await log.appendBatch(Array.from({ length: n }, () => {
      const id = randomUUID();
      return { stream: `export-${id}`, events: [{ id, type: 'DataExported', data: { exportId: id, what: 'log-export', detail: 'x' }, metadata: { at: new Date(start).toISOString() } }] };
    }));
    let keeper: ChainKeeper | undefined;
    // what the keeper had chained each time the main lane applied an event
    const chainedMeanwhile: number[] = [];
    const main: Projection = { name: 'test-main', version: 1, setup() {}, reset() {}, apply: () => void chainedMeanwhile.push(keeper?.head().ordinal ?? 0) };
    const rt = await startProjections({ store: log, views: db, projections: [main], log: () => {}, batch: { min: 100, max: 100, targetMs: 1000 } });
    keeper = startChainKeeper({ store: log, views: db, log: () => {}, giveWay: (p) => rt.afterMainLane(p) });
    await rt.waitFor(n, 10_000);
    await keeper.caughtUp;
    // while the main lane applied the backlog, the keeper stayed at its first give-way point
    expect(chainedMeanwhile.length).toBe(n);
    expect(Math.max(...chainedMeanwhile)).toBeLessThan(GIVE_WAY_EVERY);
    // and then chained the whole log, the same chain as without waiting
    expect(keeper.head().ordinal).toBe(n);
    expect(keeper.head().link.equals(chainOf(await log.readAll({ limit: n }))[n - 1]!)).toBe(true);
    await keeper.close();
    await rt.close();
    db.close();
    await log.close();
    dir.remove();
  });
});

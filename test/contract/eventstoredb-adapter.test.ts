/**
 * The EventStoreDB adapter's own failure modes (issue 8, findings 1–10), driven through the real
 * @eventstore/db-client against the wire-level server in test/support. The shared contract suite
 * (store-contract.ts) covers the happy paths; these cover what went wrong before.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import { ConcurrencyError } from '../../src/store/port.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/store/port.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';

const ev = (type = 'Noted', data: unknown = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { at: new Date().toISOString(), actor: 'adapter-test' },
});

const name = (s: string): string => `${s}_${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a hang detector, not a speed assertion: rejects if `p` has not settled after `ms` */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(10);
}

/** settles to 'resolved', 'rejected' or 'pending' (still open after `ms`) */
async function settled(p: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([p.then(() => 'resolved' as const, () => 'rejected' as const), sleep(ms).then(() => 'pending' as const)]);
}

for (const batchAppend of [true, false]) {
  describe(`EventStoreDB adapter against the wire server (BatchAppend ${batchAppend ? 'advertised' : 'not advertised'})`, () => {
    let server: EsdbWireServer;
    let store: EventStore;
    const logs: string[] = [];
    const open = (): EventStore => openEventStoreDB(server.url, { resubscribeDelayMs: 20, maxResubscribeDelayMs: 200, log: (m) => logs.push(m) });

    beforeEach(async () => {
      logs.length = 0;
      server = await EsdbWireServer.start({ batchAppend });
      store = open();
    });
    afterEach(async () => {
      await within(store.close(), 5000, 'store.close()');
      await server.stop();
    });

    it('finding 1: delivers events to the handler (the handler wrapper no longer calls itself)', async () => {
      const s = name('deliver');
      const got: RecordedEvent[] = [];
      const errors: unknown[] = [];
      const sub = store.subscribe(0, (e) => void got.push(e), (e) => errors.push(e));
      await store.append(s, [ev('A'), ev('B')]);
      await until(() => got.length >= 2 || errors.length > 0);
      await sub.close();
      expect(errors).toEqual([]);
      expect(got.map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('finding 2: close() finishes after reads that stop early (multi-event append, streamRevision, headPosition, readAll)', async () => {
      const s = name('reads');
      await store.append(s, [ev('A'), ev('B'), ev('C')]);
      expect(await store.streamRevision(s)).toBe(2);
      expect(await store.streamRevision(name('none'))).toBe(-1);
      expect(await store.headPosition()).toBeGreaterThan(0);
      expect((await store.readAll({ limit: 1 })).length).toBe(1);
      await within(store.close(), 5000, 'store.close()');
    });

    it('finding 3: close() right after subscribe() finishes, and no subscription is opened after it', async () => {
      const got: RecordedEvent[] = [];
      const sub = store.subscribe(0, (e) => void got.push(e));
      await within(sub.close(), 5000, 'subscription.close()');
      await within(store.close(), 5000, 'store.close()');
      const other = open();
      await other.append(name('late'), [ev()]);
      await sleep(300);
      await other.close();
      expect(got).toEqual([]);
    });

    it('finding 4: caughtUp resolves only after the handler has processed the whole history', async () => {
      const s = name('history');
      for (let i = 0; i < 5; i++) await store.append(s, Array.from({ length: 10 }, (_, j) => ev('H', { n: i * 10 + j })));
      let handled = 0;
      const sub = store.subscribe(0, async (e) => {
        if (e.stream !== s) return;
        await sleep(5);
        handled += 1;
      });
      await within(sub.caughtUp, 10_000, 'caughtUp');
      const atCaughtUp = handled;
      await sub.close();
      expect(atCaughtUp).toBe(50);
    });

    it('finding 5: a subscription does not outlive store.close() (no resubscribe afterwards)', async () => {
      const got: RecordedEvent[] = [];
      const sub = store.subscribe(await store.headPosition(), (e) => void got.push(e));
      await within(sub.caughtUp, 5000, 'caughtUp');
      await within(store.close(), 5000, 'store.close()');
      const other = open();
      try {
        await other.append(name('after-close'), [ev('AfterClose')]);
        // several resubscribe delays (20 ms, doubling to 200 ms) pass here
        await sleep(600);
      } finally {
        await other.close();
      }
      expect(got).toEqual([]);
    });

    it('finding 6: a permanent error (access denied on $all) stops the subscription, reports it through onError and rejects caughtUp', async () => {
      server.faults.denyAll = true;
      const errors: unknown[] = [];
      const sub = store.subscribe(0, () => {}, (e) => errors.push(e));
      await until(() => errors.length > 0);
      expect(errors.length).toBe(1);
      expect(String((errors[0] as Error).message ?? errors[0])).toMatch(/access denied/i);
      // a failed headPosition does not resolve caughtUp
      expect(await settled(sub.caughtUp, 200)).toBe('rejected');
      await sleep(200);
      expect(errors.length).toBe(1);
      await within(sub.close(), 5000, 'subscription.close()');
    });

    it('finding 6: a transient drop (UNAVAILABLE, slow consumer) is retried from the last delivered event, each event once', async () => {
      const s = name('drop');
      const start = await store.headPosition();
      for (let i = 0; i < 10; i++) await store.append(s, [ev('E', { i })]);
      server.faults.unavailableAfterEvents = 3;
      const got: RecordedEvent[] = [];
      const errors: unknown[] = [];
      const sub = store.subscribe(start, (e) => void got.push(e), (e) => errors.push(e));
      await within(sub.caughtUp, 5000, 'caughtUp');
      server.faults.slowConsumerAfterEvents = 2;
      for (let i = 10; i < 15; i++) await store.append(s, [ev('E', { i })]);
      await until(() => got.length >= 15);
      await sub.close();
      expect(errors).toEqual([]);
      expect(got.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 15 }, (_, i) => i));
      expect(logs.some((m) => /retrying/.test(m))).toBe(true);
    });

    it('finding 6: a subscription opened while the server is down waits (caughtUp pending), then catches up when it is back', async () => {
      const s = name('down');
      await store.append(s, [ev('Before')]);
      await server.stop();
      const got: RecordedEvent[] = [];
      const errors: unknown[] = [];
      const sub = store.subscribe(0, (e) => void (e.stream === s && got.push(e)), (e) => errors.push(e));
      expect(await settled(sub.caughtUp, 300)).toBe('pending');
      await server.restart();
      await within(sub.caughtUp, 10_000, 'caughtUp after restart');
      expect(got.map((e) => e.type)).toEqual(['Before']);
      expect(errors).toEqual([]);
      await sub.close();
    });

    it('finding 7: a re-append of the same ids with an exact expected revision is a no-op even after the server forgot its id cache', async () => {
      const s = name('idem');
      const first = [ev('A'), ev('B')];
      const second = [ev('C')];
      const r1 = await store.append(s, first, { expectedRevision: 'no_stream' });
      const r2 = await store.append(s, second, { expectedRevision: 1 });
      await server.restart(); // a fresh node: the id cache behind `any` is empty
      const again1 = await store.append(s, first, { expectedRevision: 'no_stream' });
      const again2 = await store.append(s, second, { expectedRevision: 1 });
      expect(again1.revision).toBe(r1.revision);
      expect(again2.revision).toBe(r2.revision);
      expect(again2.position).toBe(r2.position);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('finding 7: with `any` the server dedupes only while it remembers the id, so a re-append after a restart writes a duplicate (the port does not promise more)', async () => {
      const s = name('any');
      const e = ev('Once');
      await store.append(s, [e]);
      await store.append(s, [e]);
      expect((await store.readStream(s)).length).toBe(1);
      await server.restart();
      // a read first: it is retried across the reconnect, an append with `any` is not
      expect(await store.streamRevision(s)).toBe(0);
      await store.append(s, [e]);
      const read = await store.readStream(s);
      expect(read.map((r) => r.id)).toEqual([e.id, e.id]);
    });

    it('finding 7: with `any`, an append mixing an id the server remembers and a new one is refused as a conflict (409), not an unknown error (500)', async () => {
      const s = name('mixed');
      const known = ev('Known');
      await store.append(s, [known]);
      const err = await store.append(s, [known, ev('New')]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['Known']);
    });

    it('finding 8: a batch that failed midway (item 3 of 4) completes when the same batch is sent again', async () => {
      const p = name('person');
      const items = [
        { stream: `${p}-a`, events: [ev('A1'), ev('A2')], expectedRevision: 'no_stream' as const },
        { stream: `${p}-b`, events: [ev('B1')], expectedRevision: 'no_stream' as const },
        { stream: `${p}-c`, events: [ev('C1')], expectedRevision: 'no_stream' as const },
        { stream: `${p}-d`, events: [ev('D1')], expectedRevision: 'no_stream' as const },
      ];
      // fault switch (test side): the log refuses the write of item 3 once, as a failing node would
      const log = server.log;
      const write = log.append.bind(log);
      log.append = (stream, events) => {
        if (stream === `${p}-c`) {
          log.append = write;
          throw new Error('disk full');
        }
        return write(stream, events);
      };
      await expect(store.appendBatch(items)).rejects.toThrow();
      expect(await store.streamRevision(`${p}-b`)).toBe(0);
      expect(await store.streamRevision(`${p}-c`)).toBe(-1);
      const done = await store.appendBatch(items);
      expect(done.revision).toBe(0);
      for (const it of items) expect((await store.readStream(it.stream)).map((e) => e.id)).toEqual(it.events.map((e) => e.id));
      // and a third time is a no-op
      const head = await store.headPosition();
      await store.appendBatch(items);
      expect(await store.headPosition()).toBe(head);
    });

    it("finding 9: an append answers its own last event's position, even when another writer appends right after it", async () => {
      const s = name('pos');
      const log = server.log;
      const write = log.append.bind(log);
      let interloper: number | undefined;
      log.append = (stream, events) => {
        const written = write(stream, events);
        if (stream === s && interloper === undefined) {
          // another writer lands on the same stream before this client reads anything back
          interloper = write(s, [{ id: randomUUID(), type: 'Other', isJson: true, data: Buffer.from('{}'), metadata: new Uint8Array() }])[0]!.position;
        }
        return written;
      };
      const mine = [ev('M1'), ev('M2'), ev('M3')];
      const r = await store.append(s, mine);
      log.append = write;
      const read = await store.readAll({ after: 0, limit: 1000 });
      const last = read.find((e) => e.id === mine[2]!.id)!;
      expect(r.position).toBe(last.position);
      expect(r.position).not.toBe(interloper);
      // a bare position (a checkpoint from views.db) resumes exactly after that event
      const other = open();
      try {
        const after = await other.readAll({ after: r.position, limit: 10 });
        expect(after.map((e) => e.type)).toEqual(['Other']);
      } finally {
        await other.close();
      }
    });

  });
}

describe('EventStoreDB adapter: headPosition behind many system events', () => {
  it('finding 10: headPosition finds the last user event behind more than 10,000 system events', async () => {
    const server = await EsdbWireServer.start();
    const store = openEventStoreDB(server.url);
    try {
      const r = await store.append(name('head'), [ev('User')]);
      // the old adapter gave up after 100 pages of 100 and answered 0
      for (let i = 0; i < 10_050; i++) server.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { i });
      expect(await store.headPosition()).toBe(r.position);
    } finally {
      await within(store.close(), 5000, 'store.close()');
      await server.stop();
    }
  }, 60_000);
});

describe('EventStoreDB adapter: caughtUp on a server that never sends CaughtUp (22.10)', () => {
  it('finding 4: caughtUp resolves after the handler has processed the history, from the head position alone', async () => {
    const server = await EsdbWireServer.start({ caughtUp: false });
    const store = openEventStoreDB(server.url);
    try {
      const s = name('old');
      await store.append(s, Array.from({ length: 20 }, (_, i) => ev('H', { i })));
      let handled = 0;
      const sub = store.subscribe(0, async (e) => {
        if (e.stream !== s) return;
        await sleep(2);
        handled += 1;
      });
      await within(sub.caughtUp, 10_000, 'caughtUp');
      expect(handled).toBe(20);
      await sub.close();
      // a log without user events: caught up at once
      const empty = await EsdbWireServer.start({ caughtUp: false });
      const other = openEventStoreDB(empty.url);
      const sub2 = other.subscribe(0, () => {});
      await within(sub2.caughtUp, 5000, 'caughtUp on an empty log');
      await sub2.close();
      await other.close();
      await empty.stop();
    } finally {
      await within(store.close(), 5000, 'store.close()');
      await server.stop();
    }
  });
});


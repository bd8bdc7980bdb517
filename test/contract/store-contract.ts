import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../src/store/port.ts';
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '../../src/store/port.ts';

/** What the contract needs from an adapter under test. */
export interface ContractTarget {
  store: EventStore;
  /** closes the store and opens the same log again (embedded: the same file) */
  reopen(): Promise<EventStore>;
  /**
   * Appends each batch from its own process or connection, all at the same moment, every one with
   * `expected`; resolves to each outcome.
   */
  appendElsewhere(stream: string, batches: NewEvent[][], expected: ExpectedRevision): Promise<('ok' | 'conflict')[]>;
  /** embedded only: runs raw SQL against the log file (UPDATE/DELETE must be refused) */
  rawSql?: (sql: string) => void;
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** why the case needing `rawSql` does not apply, when the adapter has no SQL */
  noSqlReason?: string;
}

const ev = (type = 'Noted', data: unknown = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { at: new Date().toISOString(), actor: 'contract' },
});

/** streams get a per-test prefix, so the suite can run against a shared EventStoreDB server */
const name = (s: string): string => `${s}_${randomUUID().slice(0, 8)}`;

async function collect(store: EventStore, after: number, count: number, timeoutMs = 5000): Promise<RecordedEvent[]> {
  const got: RecordedEvent[] = [];
  const sub = store.subscribe(after, (e) => {
    got.push(e);
  });
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await sub.close();
  return got;
}

async function expectConcurrency(p: Promise<unknown>, stream: string, expected: ExpectedRevision, actual: number): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConcurrencyError);
  const c = err as ConcurrencyError;
  expect({ stream: c.stream, expected: c.expected, actual: c.actual }).toEqual({ stream, expected, actual });
}

export function storeContract(title: string, factory: () => Promise<ContractTarget>, options: ContractOptions = {}): void {
  describe(`EventStore contract: ${title}`, () => {
    const withTarget = (fn: (t: ContractTarget) => Promise<void>) => async () => {
      const t = await factory();
      try {
        await fn(t);
      } finally {
        await t.dispose();
      }
    };

    it(
      'keeps a stream in append order with revisions from 0',
      withTarget(async ({ store }) => {
        const s = name('order');
        const a = [ev('A', { n: 1 }), ev('B', { n: 2 })];
        const r1 = await store.append(s, a);
        expect(r1.revision).toBe(1);
        const r2 = await store.append(s, [ev('C', { n: 3 })]);
        expect(r2.revision).toBe(2);
        expect(r2.position).toBeGreaterThan(r1.position);
        const read = await store.readStream(s);
        expect(read.map((e) => [e.type, e.revision, e.data])).toEqual([
          ['A', 0, { n: 1 }],
          ['B', 1, { n: 2 }],
          ['C', 2, { n: 3 }],
        ]);
        expect(read.map((e) => e.id)).toEqual([...a.map((e) => e.id), read[2]!.id]);
        expect(read[0]!.metadata).toMatchObject({ actor: 'contract' });
        expect((await store.readStream(s, { fromRevision: 1 })).map((e) => e.revision)).toEqual([1, 2]);
        expect(await store.streamRevision(s)).toBe(2);
        expect(await store.readStream(name('missing'))).toEqual([]);
        expect(await store.streamRevision(name('missing'))).toBe(-1);
      }),
    );

    it(
      'honours expected revision no_stream, stream_exists, exact and any',
      withTarget(async ({ store }) => {
        const s = name('expect');
        await expectConcurrency(store.append(s, [ev()], { expectedRevision: 'stream_exists' }), s, 'stream_exists', -1);
        await expectConcurrency(store.append(s, [ev()], { expectedRevision: 0 }), s, 0, -1);
        expect((await store.append(s, [ev()], { expectedRevision: 'no_stream' })).revision).toBe(0);
        await expectConcurrency(store.append(s, [ev()], { expectedRevision: 'no_stream' }), s, 'no_stream', 0);
        expect((await store.append(s, [ev()], { expectedRevision: 'stream_exists' })).revision).toBe(1);
        expect((await store.append(s, [ev(), ev()], { expectedRevision: 1 })).revision).toBe(3);
        await expectConcurrency(store.append(s, [ev()], { expectedRevision: 1 }), s, 1, 3);
        expect((await store.append(s, [ev()], { expectedRevision: 'any' })).revision).toBe(4);
        expect((await store.append(name('any'), [ev()], { expectedRevision: 'any' })).revision).toBe(0);
        // a refused append wrote nothing
        expect((await store.readStream(s)).length).toBe(5);
      }),
    );

    it(
      'treats a re-append of the same ids as a no-op with the same revision',
      withTarget(async ({ store }) => {
        const s = name('idem');
        const batch = [ev('A'), ev('B')];
        const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
        const again = await store.append(s, batch, { expectedRevision: 'no_stream' });
        expect(again.revision).toBe(first.revision);
        expect(again.revision).toBe(1);
        const read = await store.readStream(s);
        expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      }),
    );

    it(
      'lets exactly one of several concurrent appenders with the same expected revision win',
      withTarget(async ({ store, appendElsewhere }) => {
        const s = name('race');
        await store.append(s, [ev('Start')], { expectedRevision: 'no_stream' });
        const outcomes = await appendElsewhere(s, [[ev('W1')], [ev('W2')], [ev('W3')], [ev('W4')]], 0);
        expect(outcomes.filter((o) => o === 'ok').length).toBe(1);
        expect(outcomes.filter((o) => o === 'conflict').length).toBe(3);
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual([0, 1]);
        expect(read[1]!.type).toMatch(/^W[1-4]$/);
      }),
    );

    it(
      'pages through the whole log in order with after and limit',
      withTarget(async ({ store }) => {
        const start = await store.headPosition();
        const written: string[] = [];
        for (let i = 0; i < 5; i++) {
          const e = ev('Paged', { i });
          written.push(e.id);
          await store.append(name(`page${i}`), [e]);
        }
        const seen: RecordedEvent[] = [];
        let after = start;
        for (let guard = 0; guard < 10; guard++) {
          const page = await store.readAll({ after, limit: 2 });
          expect(page.length).toBeLessThanOrEqual(2);
          if (page.length === 0) break;
          seen.push(...page);
          after = page[page.length - 1]!.position;
        }
        const mine = seen.filter((e) => e.type === 'Paged');
        expect(mine.map((e) => e.id)).toEqual(written);
        const positions = seen.map((e) => e.position);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(new Set(positions).size).toBe(positions.length);
        expect(positions[0]!).toBeGreaterThan(start);
        expect(await store.headPosition()).toBe(positions[positions.length - 1]);
        // no system events leak into the port
        expect(seen.every((e) => !e.stream.startsWith('$') && !e.type.startsWith('$'))).toBe(true);
      }),
    );

    it(
      'delivers a catch-up subscription: history first, then live events, once each',
      withTarget(async ({ store }) => {
        const start = await store.headPosition();
        const s = name('sub');
        await store.append(s, [ev('H1'), ev('H2'), ev('H3')]);
        const got: RecordedEvent[] = [];
        const sub = store.subscribe(start, (e) => {
          if (e.stream === s) got.push(e);
        });
        await sub.caughtUp;
        expect(got.map((e) => e.type)).toEqual(['H1', 'H2', 'H3']);
        await store.append(s, [ev('L1')]);
        await store.append(s, [ev('L2')]);
        const deadline = Date.now() + 5000;
        while (got.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await sub.close();
        expect(got.map((e) => e.type)).toEqual(['H1', 'H2', 'H3', 'L1', 'L2']);
        expect(got.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        // `after` is exclusive: starting after H1 gives H2 onwards
        const fromH1 = (await collect(store, got[0]!.position, 4)).filter((e) => e.stream === s);
        expect(fromH1.map((e) => e.type)).toEqual(['H2', 'H3', 'L1', 'L2']);
      }),
    );

    it(
      'keeps everything when the log is closed and opened again',
      withTarget(async (t) => {
        const s = name('reopen');
        const start = await t.store.headPosition();
        await t.store.append(s, [ev('A', { x: 'é "quoted" <b>' }), ev('B')]);
        const before = await t.store.readAll({ after: start, limit: 100 });
        const again = await t.reopen();
        expect(await again.readAll({ after: start, limit: 100 })).toEqual(before);
        expect((await again.readStream(s)).map((e) => e.data)).toEqual([{ x: 'é "quoted" <b>' }, {}]);
        expect((await again.append(s, [ev('C')], { expectedRevision: 1 })).revision).toBe(2);
      }),
    );

    it(
      "delivers another process's append to this process's subscriber within one second",
      withTarget(async ({ store, appendElsewhere }) => {
        const s = name('other');
        const got: RecordedEvent[] = [];
        let arrived = 0;
        const sub = store.subscribe(await store.headPosition(), (e) => {
          if (e.stream === s) {
            got.push(e);
            arrived = Date.now();
          }
        });
        await sub.caughtUp;
        const outcomes = await appendElsewhere(s, [[ev('FromElsewhere')]], 'no_stream');
        const appendedAt = Date.now();
        expect(outcomes).toEqual(['ok']);
        while (got.length === 0 && Date.now() - appendedAt < 1000) await new Promise((r) => setTimeout(r, 10));
        await sub.close();
        expect(got.map((e) => e.type)).toEqual(['FromElsewhere']);
        expect(arrived - appendedAt).toBeLessThan(1000);
      }),
    );

    it.skipIf(options.noSqlReason !== undefined)(
      `refuses UPDATE and DELETE on the events table${options.noSqlReason ? ` (skipped: ${options.noSqlReason})` : ''}`,
      withTarget(async ({ store, rawSql }) => {
        const s = name('immutable');
        await store.append(s, [ev('A', { keep: true })]);
        expect(rawSql).toBeDefined();
        expect(() => rawSql!(`UPDATE events SET data = '{}'`)).toThrow(/immutable/);
        expect(() => rawSql!(`DELETE FROM events`)).toThrow(/immutable/);
        expect((await store.readStream(s)).map((e) => e.data)).toEqual([{ keep: true }]);
      }),
    );
  });
}

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NotLeaderError,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AllStreamSubscription, Position, ResolvedEvent, StreamSubscription } from '@eventstore/db-client';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';

/*
 * The wire server seen through the real @eventstore/db-client 6.2.1 (not Hallway's adapter): what
 * it answers is what EventStoreDB answers, so the adapter's tests can rely on it.
 */

const stream = (s: string): string => `${s}-${randomUUID().slice(0, 8)}`;
const ev = (type = 'Noted', data: Record<string, unknown> = {}, id: string = randomUUID()) => jsonEvent({ id, type, data, metadata: { by: 'test' } });

const clients: EventStoreDBClient[] = [];
const connect = (server: EsdbWireServer): EventStoreDBClient => {
  const c = EventStoreDBClient.connectionString(server.url);
  clients.push(c);
  return c;
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

async function readStream(client: EventStoreDBClient, name: string, options: Parameters<EventStoreDBClient['readStream']>[1] = {}): Promise<ResolvedEvent[]> {
  const out: ResolvedEvent[] = [];
  for await (const e of client.readStream(name, options)) out.push(e);
  return out;
}

async function readAll(client: EventStoreDBClient, options: Parameters<EventStoreDBClient['readAll']>[0] = {}): Promise<AllStreamResolvedEvent[]> {
  const out: AllStreamResolvedEvent[] = [];
  for await (const e of client.readAll(options)) out.push(e);
  return out;
}

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

/** consumes a subscription until `count` events arrived, it failed, or `timeoutMs` passed */
async function take<E>(sub: AllStreamSubscription | StreamSubscription, count: number, timeoutMs = 3000): Promise<{ events: E[]; error?: unknown }> {
  const events: E[] = [];
  let error: unknown;
  const timer = setTimeout(() => void sub.unsubscribe(), timeoutMs);
  try {
    for await (const e of sub) {
      events.push(e as E);
      if (events.length >= count) break;
    }
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
    await sub.unsubscribe().catch(() => {});
  }
  return { events, error };
}

const types = (events: { event?: { type: string } | undefined }[]): string[] => events.map((e) => e.event!.type);

describe.each([
  ['BatchAppend advertised', true],
  ['BatchAppend not advertised', false],
])('EventStoreDB wire server: appends (%s)', (_title, batchAppend) => {
  let server: EsdbWireServer;
  beforeAll(async () => {
    server = await EsdbWireServer.start({ batchAppend });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('appends through the path ServerFeatures advertises', async () => {
    const client = connect(server);
    const before = { ...server.calls };
    await client.appendToStream(stream('path'), ev());
    expect(server.calls.getSupportedMethods).toBeGreaterThan(before.getSupportedMethods);
    if (batchAppend) {
      expect(server.calls.batchAppend - before.batchAppend).toBe(1);
      expect(server.calls.append).toBe(before.append);
    } else {
      expect(server.calls.append - before.append).toBe(1);
      expect(server.calls.batchAppend).toBe(before.batchAppend);
    }
  });

  it('numbers a stream from revision 0 and reads it forwards and backwards', async () => {
    const client = connect(server);
    const s = stream('order');
    const first = await client.appendToStream(s, [ev('A'), ev('B')], { expectedRevision: 'no_stream' });
    expect(first.nextExpectedRevision).toBe(1n);
    const second = await client.appendToStream(s, ev('C'));
    expect(second.nextExpectedRevision).toBe(2n);
    expect(types(await readStream(client, s))).toEqual(['A', 'B', 'C']);
    expect((await readStream(client, s)).map((e) => e.event!.revision)).toEqual([0n, 1n, 2n]);
    expect(types(await readStream(client, s, { fromRevision: 1n, maxCount: 1 }))).toEqual(['B']);
    expect(types(await readStream(client, s, { direction: BACKWARDS, fromRevision: END }))).toEqual(['C', 'B', 'A']);
    expect(types(await readStream(client, s, { direction: BACKWARDS, fromRevision: 1n }))).toEqual(['B', 'A']);
    expect(types(await readStream(client, s, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }))).toEqual(['C']);
    const read = await readStream(client, s);
    expect(read[0]!.event!.data).toEqual({});
    expect(read[0]!.event!.metadata).toEqual({ by: 'test' });
    expect(read[0]!.event!.created.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers WrongExpectedVersion with the expected and the current revision', async () => {
    const client = connect(server);
    const s = stream('wev');
    const missing = await failure(client.appendToStream(s, ev(), { expectedRevision: 'stream_exists' }));
    expect(missing).toBeInstanceOf(WrongExpectedVersionError);
    expect(missing).toMatchObject({ streamName: s, expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
    expect(await failure(client.appendToStream(s, ev(), { expectedRevision: 0n }))).toMatchObject({ expectedVersion: 0n, actualVersion: 'no_stream' });
    await client.appendToStream(s, [ev(), ev()], { expectedRevision: 'no_stream' });
    expect(await failure(client.appendToStream(s, ev(), { expectedRevision: 'no_stream' }))).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
    expect(await failure(client.appendToStream(s, ev(), { expectedRevision: 5n }))).toMatchObject({ expectedVersion: 5n, actualVersion: 1n });
    expect(await failure(client.appendToStream(s, ev(), { expectedRevision: 0n }))).toMatchObject({ expectedVersion: 0n, actualVersion: 1n });
    expect((await client.appendToStream(s, ev(), { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
    expect((await client.appendToStream(s, ev(), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(3n);
    // refused appends wrote nothing
    expect((await readStream(client, s)).length).toBe(4);
  });

  it('lets stream_exists through once the stream has metadata, as the server does', async () => {
    const client = connect(server);
    const s = stream('meta-only');
    await client.setStreamMetadata(s, { maxCount: 5 });
    expect((await client.appendToStream(s, ev(), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(0n);
  });

  it('treats a re-append of the same ids at an exact revision as done, with the original result', async () => {
    const client = connect(server);
    const s = stream('idem');
    const batch = [ev('A'), ev('B')];
    const first = await client.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    await client.appendToStream(s, ev('C'));
    const again = await client.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect(again.position).toEqual(first.position);
    const third = [ev('D')];
    const d = await client.appendToStream(s, third, { expectedRevision: 2n });
    expect(await client.appendToStream(s, third, { expectedRevision: 2n })).toEqual(d);
    expect(types(await readStream(client, s))).toEqual(['A', 'B', 'C', 'D']);
  });

  it('refuses a re-append whose first id matches and a later one does not (CorruptedIdempotency)', async () => {
    const client = connect(server);
    const s = stream('corrupt');
    const a = ev('A');
    await client.appendToStream(s, [a, ev('B')], { expectedRevision: 'no_stream' });
    const err = await failure(client.appendToStream(s, [a, ev('X')], { expectedRevision: 'no_stream' }));
    expect(err).toBeInstanceOf(WrongExpectedVersionError);
    expect(err).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
    // the first id differs: a plain WrongExpectedVersion
    expect(await failure(client.appendToStream(s, [ev('Y')], { expectedRevision: 'no_stream' }))).toBeInstanceOf(WrongExpectedVersionError);
    expect(types(await readStream(client, s))).toEqual(['A', 'B']);
  });

  it('gives every event its own committed record: commit == prepare, growing byte offsets, the append answers its last event', async () => {
    const client = connect(server);
    const s = stream('positions');
    const result = await client.appendToStream(s, [ev('A', { text: 'x'.repeat(50) }), ev('B'), ev('C')]);
    const read = await readStream(client, s);
    const positions = read.map((e) => e.event!.position!);
    for (const p of positions) expect(p.commit).toBe(p.prepare);
    expect(positions[1]!.commit - positions[0]!.commit).toBeGreaterThan(50n);
    expect(positions[2]!.commit).toBeGreaterThan(positions[1]!.commit + 1n);
    expect(result.position).toEqual(positions[2]);
    const all = await readAll(client);
    const allPositions = all.map((e) => e.event!.position.commit);
    expect(allPositions).toEqual([...allPositions].sort((x, y) => (x < y ? -1 : 1)));
    expect(new Set(allPositions).size).toBe(allPositions.length);
  });

  it('answers StreamNotFound for a stream with no events', async () => {
    const client = connect(server);
    const err = await failure(readStream(client, stream('missing')));
    expect(err).toBeInstanceOf(StreamNotFoundError);
    const err2 = await failure(readStream(client, stream('missing'), { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
    expect(err2).toBeInstanceOf(StreamNotFoundError);
  });

  it('lets exactly one of several clients appending at the same expected revision win', async () => {
    const s = stream('race');
    await connect(server).appendToStream(s, ev('Start'), { expectedRevision: 'no_stream' });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((i) => connect(server).appendToStream(s, ev(`W${i}`), { expectedRevision: 0n })));
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBe(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
  });
});

describe('EventStoreDB wire server: idempotency for any / stream_exists is best effort', () => {
  it.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('dedupes through a bounded id cache: a re-append after eviction writes a duplicate (%s)', async (_t, batchAppend) => {
    const server = await EsdbWireServer.start({ batchAppend, idCacheSize: 3 });
    try {
      const client = connect(server);
      const s = stream('cache');
      const a = ev('A');
      const first = await client.appendToStream(s, a);
      expect(await client.appendToStream(s, a)).toEqual(first);
      expect(await client.appendToStream(s, a, { expectedRevision: 'stream_exists' })).toEqual(first);
      expect((await readStream(client, s)).length).toBe(1);
      // three more ids push `a` out of the cache
      await client.appendToStream(s, [ev('B'), ev('C'), ev('D')]);
      expect((await client.appendToStream(s, a)).nextExpectedRevision).toBe(4n);
      expect(types(await readStream(client, s))).toEqual(['A', 'B', 'C', 'D', 'A']);
    } finally {
      await server.stop();
    }
  });

  it('forgets every id on restart: a re-append after a restart writes a duplicate', async () => {
    const server = await EsdbWireServer.start();
    try {
      const s = stream('restart-dup');
      const a = ev('A');
      await connect(server).appendToStream(s, a);
      await server.restart();
      const client = connect(server);
      expect((await client.appendToStream(s, a)).nextExpectedRevision).toBe(1n);
      expect((await readStream(client, s)).map((e) => e.event!.id)).toEqual([a.id, a.id]);
      // an exact revision still finds the id in the log itself
      expect((await client.appendToStream(s, a, { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(0n);
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('refuses a batch whose first id is known and a later one new; writes one whose first id is new (%s)', async (_t, batchAppend) => {
    const server = await EsdbWireServer.start({ batchAppend });
    try {
      const client = connect(server);
      const s = stream('mixed');
      const known = ev('Known');
      await client.appendToStream(s, known);
      const err = await failure(client.appendToStream(s, [known, ev('New')]));
      expect(err).toBeInstanceOf(WrongExpectedVersionError);
      expect(err).toMatchObject({ expectedVersion: 'any', actualVersion: 0n });
      // the first id decides: new first, so the whole batch is written, the known id again
      expect((await client.appendToStream(s, [ev('New'), known])).nextExpectedRevision).toBe(2n);
      expect(types(await readStream(client, s))).toEqual(['Known', 'New', 'Known']);
    } finally {
      await server.stop();
    }
  });
});

describe('EventStoreDB wire server: $all and system events', () => {
  let server: EsdbWireServer;
  beforeAll(async () => {
    server = await EsdbWireServer.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('starts its log with the node epoch, a system event', async () => {
    const all = await readAll(connect(server), { fromPosition: START, maxCount: 1 });
    expect(all[0]!.event).toMatchObject({ streamId: '$epoch-information', type: '$epoch-information' });
    expect(all[0]!.event!.position.commit).toBeGreaterThan(0n);
  });

  it('reads $all backwards from the end and from a position (the event at that position excluded), forwards inclusive', async () => {
    const client = connect(server);
    const s = stream('all');
    await client.appendToStream(s, [ev('A'), ev('B'), ev('C')]);
    const back = await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 3 });
    expect(types(back)).toEqual(['C', 'B', 'A']);
    const pb = back[1]!.event!.position;
    expect(types(await readAll(client, { direction: BACKWARDS, fromPosition: pb, maxCount: 1 }))).toEqual(['A']);
    expect(types(await readAll(client, { direction: FORWARDS, fromPosition: pb, maxCount: 2 }))).toEqual(['B', 'C']);
    // a position inside a record is refused, as the server refuses it
    const inside: Position = { commit: pb.commit + 1n, prepare: pb.prepare + 1n };
    await expect(readAll(client, { fromPosition: inside, maxCount: 1 })).rejects.toThrow(/invalid position/);
  });

  it('writes stream metadata as a $metadata event in $$stream, visible in $all; $maxCount hides older events from stream reads only', async () => {
    const client = connect(server);
    const s = stream('capped');
    await client.appendToStream(s, [ev('Old1'), ev('Old2'), ev('New')]);
    await client.setStreamMetadata(s, { maxCount: 1 });
    expect(types(await readStream(client, s))).toEqual(['New']);
    expect(types(await readStream(client, s, { direction: BACKWARDS, fromRevision: END }))).toEqual(['New']);
    expect((await client.getStreamMetadata(s)).metadata?.maxCount).toBe(1);
    const tail = await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 4 });
    expect(tail.map((e) => [e.event!.streamId, e.event!.type])).toEqual([
      [`$$${s}`, '$metadata'],
      [s, 'New'],
      [s, 'Old2'],
      [s, 'Old1'],
    ]);
  });

  it('shows injected system events in $all', async () => {
    const client = connect(server);
    const record = server.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-cpu': 1 });
    const [last] = await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    expect(last!.event).toMatchObject({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' });
    expect(last!.event!.position.commit).toBe(BigInt(record.position));
    server.appendSystemEvents('$stats-127.0.0.1:2113', '$statsCollected', 250);
    const tail = await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 251 });
    expect(tail.every((e) => e.event!.type === '$statsCollected')).toBe(true);
    expect(tail.length).toBe(251);
  });

  it('refuses $all reads and subscriptions with access denied when switched, and still serves stream reads', async () => {
    const client = connect(server);
    const s = stream('denied');
    await client.appendToStream(s, ev());
    server.faults.denyAll = true;
    try {
      expect(await failure(readAll(client, { maxCount: 1 }))).toBeInstanceOf(AccessDeniedError);
      const { error } = await take(client.subscribeToAll({ fromPosition: START }), 1);
      expect(error).toBeInstanceOf(AccessDeniedError);
      expect((await readStream(client, s)).length).toBe(1);
    } finally {
      server.faults.denyAll = false;
    }
  });
});

describe('EventStoreDB wire server: subscriptions', () => {
  let server: EsdbWireServer;
  beforeAll(async () => {
    server = await EsdbWireServer.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('filters out system events, sends checkpoints every 32 considered events, CaughtUp after the history, then live events', async () => {
    const client = connect(server);
    const start = (await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 1 }))[0]!.event!.position;
    const s = stream('filtered');
    for (let i = 0; i < 40; i++) await client.appendToStream(s, ev('Hist', { i }));
    await client.setStreamMetadata(s, { maxCount: 100 });
    server.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', {});
    const checkpoints: Position[] = [];
    const sub = client.subscribeToAll({ fromPosition: start, filter: excludeSystemEvents({ checkpointReached: (_s, p) => void checkpoints.push(p) }) });
    let caughtUpAfter = -1;
    const events: AllStreamResolvedEvent[] = [];
    sub.on('caughtUp', () => (caughtUpAfter = events.length));
    const done = (async () => {
      for await (const e of sub) {
        events.push(e);
        if (events.length === 41) break;
      }
    })();
    while (caughtUpAfter < 0) await new Promise((r) => setTimeout(r, 10));
    await client.appendToStream(s, ev('Live'));
    await done;
    await sub.unsubscribe();
    expect(caughtUpAfter).toBe(40);
    expect(events.every((e) => !e.event!.type.startsWith('$') && !e.event!.streamId.startsWith('$'))).toBe(true);
    expect(events.map((e) => e.event!.type)).toEqual([...Array<string>(40).fill('Hist'), 'Live']);
    // 42 events after `start` before going live: a checkpoint at the 32nd, and one on going live
    expect(checkpoints.length).toBe(2);
    expect(checkpoints[0]).toEqual(events[31]!.event!.position);
    expect(checkpoints[1]!.commit).toBeGreaterThan(events[39]!.event!.position.commit);
  });

  it('filters on event type prefixes and on a stream name regex', async () => {
    const client = connect(server);
    const s = stream('filters');
    const tag = s.slice(-8);
    await client.appendToStream(s, [ev(`Keep${tag}A`), ev('Other'), ev(`Keep${tag}B`)]);
    await client.appendToStream(`other-${s}`, ev(`Keep${tag}C`));
    const byType = await take<AllStreamResolvedEvent>(client.subscribeToAll({ fromPosition: START, filter: eventTypeFilter({ prefixes: [`Keep${tag}`] }) }), 3);
    expect(types(byType.events)).toEqual([`Keep${tag}A`, `Keep${tag}B`, `Keep${tag}C`]);
    const byRegex = await take<AllStreamResolvedEvent>(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ regex: `^${s}$` }) }), 3);
    expect(byRegex.events.map((e) => e.event!.streamId)).toEqual([s, s, s]);
  });

  it('starts strictly after the given position, and from the end delivers only new events', async () => {
    const client = connect(server);
    const s = stream('after');
    await client.appendToStream(s, [ev('A'), ev('B'), ev('C')]);
    const [a] = await readStream(client, s, { maxCount: 1 });
    const fromA = await take<AllStreamResolvedEvent>(client.subscribeToAll({ fromPosition: a!.event!.position!, filter: streamNameFilter({ prefixes: [s] }) }), 2);
    expect(types(fromA.events)).toEqual(['B', 'C']);
    const live = client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [s] }) });
    await new Promise<void>((r) => live.once('caughtUp', () => r()));
    await client.appendToStream(s, ev('D'));
    expect(types((await take<AllStreamResolvedEvent>(live, 1)).events)).toEqual(['D']);
  });

  it('skips events up to a subscription position that lies past the end of the log', async () => {
    const client = connect(server);
    const s = stream('past-end');
    const end = (await client.appendToStream(s, ev('A'))).position!;
    const ahead: Position = { commit: end.commit + 300n, prepare: end.commit + 300n };
    const sub = client.subscribeToAll({ fromPosition: ahead, filter: streamNameFilter({ prefixes: [s] }) });
    await new Promise<void>((r) => sub.once('caughtUp', () => r()));
    const got = take<AllStreamResolvedEvent>(sub, 1);
    await client.appendToStream(s, ev('Before', { pad: 'x'.repeat(100) })); // lands below `ahead`
    await client.appendToStream(s, ev('After', { pad: 'x'.repeat(300) }));
    expect(types((await got).events)).toEqual(['After']);
  });

  it('catches a stream subscription up from the first event its $maxCount keeps', async () => {
    const client = connect(server);
    const s = stream('capped-sub');
    await client.appendToStream(s, [ev('Old'), ev('Kept')]);
    await client.setStreamMetadata(s, { maxCount: 1 });
    expect(types((await take<ResolvedEvent>(client.subscribeToStream(s, { fromRevision: START }), 1)).events)).toEqual(['Kept']);
  });

  it('sends no CaughtUp when it plays a 22.10 server', async () => {
    const old = await EsdbWireServer.start({ caughtUp: false });
    try {
      const client = connect(old);
      const s = stream('no-caught-up');
      await client.appendToStream(s, [ev('A'), ev('B')]);
      const sub = client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [s] }) });
      let caughtUp = false;
      sub.on('caughtUp', () => (caughtUp = true));
      const got = take<AllStreamResolvedEvent>(sub, 3);
      await new Promise((r) => setTimeout(r, 100));
      await client.appendToStream(s, ev('C'));
      expect(types((await got).events)).toEqual(['A', 'B', 'C']);
      expect(caughtUp).toBe(false);
    } finally {
      await old.stop();
    }
  });

  it('subscribes to a stream from a revision (exclusive) with CaughtUp, then live', async () => {
    const client = connect(server);
    const s = stream('stream-sub');
    await client.appendToStream(s, [ev('A'), ev('B')]);
    const sub = client.subscribeToStream(s, { fromRevision: 0n });
    const caughtUp = new Promise<void>((r) => sub.once('caughtUp', () => r()));
    const got = take<ResolvedEvent>(sub, 2);
    await caughtUp;
    await client.appendToStream(s, ev('C'));
    expect(types((await got).events)).toEqual(['B', 'C']);
  });

  it('delivers every event twice when switched (a projection must dedupe by id)', async () => {
    const client = connect(server);
    const s = stream('twice');
    await client.appendToStream(s, [ev('A'), ev('B')]);
    server.faults.deliverTwice = true;
    try {
      const { events } = await take<AllStreamResolvedEvent>(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [s] }) }), 4);
      expect(types(events)).toEqual(['A', 'A', 'B', 'B']);
      expect(events[0]!.event!.id).toBe(events[1]!.event!.id);
    } finally {
      server.faults.deliverTwice = false;
    }
  });

  it('ends the next subscription with UNAVAILABLE after N events when switched', async () => {
    const client = connect(server);
    const s = stream('unavailable');
    await client.appendToStream(s, [ev('A'), ev('B'), ev('C')]);
    server.faults.unavailableAfterEvents = 2;
    const { events, error } = await take<AllStreamResolvedEvent>(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [s] }) }), 3);
    expect(types(events)).toEqual(['A', 'B']);
    expect(error).toBeInstanceOf(UnavailableError);
    // one-shot: the client reconnects and the next subscription runs through
    const again = await take<AllStreamResolvedEvent>(connect(server).subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [s] }) }), 3);
    expect(types(again.events)).toEqual(['A', 'B', 'C']);
  });

  it('drops a subscription as a slow consumer when switched, with the error 23.10 sends', async () => {
    const client = connect(server);
    const s = stream('slow-switch');
    await client.appendToStream(s, [ev('A'), ev('B'), ev('C')]);
    server.faults.slowConsumerAfterEvents = 1;
    const { events, error } = await take<AllStreamResolvedEvent>(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [s] }) }), 3);
    expect(types(events)).toEqual(['A']);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/Consumer too slow/);
  });

  it('drops a live subscription whose client does not read while events pile up', async () => {
    const client = connect(server);
    const s = stream('slow-real');
    const drops = server.slowConsumerDrops;
    const sub = client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [s] }) });
    const dropped = new Promise<unknown>((r) => sub.once('error', r));
    await new Promise<void>((r) => sub.once('caughtUp', () => r()));
    // nobody reads: the client's buffers and the HTTP/2 window fill, the server's live queue overflows
    const big = 'x'.repeat(2000);
    for (let i = 0; i < 20; i++) await client.appendToStream(s, Array.from({ length: 20 }, () => ev('Flood', { big })));
    const deadline = Date.now() + 5000;
    while (server.slowConsumerDrops === drops && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(server.slowConsumerDrops).toBe(drops + 1);
    const error = await dropped;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/Consumer too slow/);
  });
});

describe('EventStoreDB wire server: restarts and leaders', () => {
  it('keeps the log across stop and restart; the client sees UNAVAILABLE meanwhile and reconnects', async () => {
    const server = await EsdbWireServer.start();
    try {
      const client = connect(server);
      const s = stream('restart');
      await client.appendToStream(s, [ev('A'), ev('B')]);
      const sub = client.subscribeToAll({ fromPosition: END });
      await new Promise<void>((r) => sub.once('caughtUp', () => r()));
      const subError = new Promise<unknown>((r) => sub.once('error', r));
      await server.stop();
      expect(await subError).toBeInstanceOf(UnavailableError);
      expect(await failure(readStream(client, s))).toBeInstanceOf(UnavailableError);
      const port = server.port;
      await server.restart();
      expect(server.port).toBe(port);
      expect(types(await readStream(client, s))).toEqual(['A', 'B']);
      expect((await client.appendToStream(s, ev('C'), { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
      // the restarted node wrote a new epoch
      const epochs = (await readAll(client)).filter((e) => e.event!.streamId === '$epoch-information');
      expect(epochs.length).toBe(2);
      // or on a new port: the old address answers nothing, the new one has the same log
      await server.restart({ port: 0 });
      expect(server.port).not.toBe(port);
      expect(await failure(readStream(client, s))).toBeInstanceOf(UnavailableError);
      expect(types(await readStream(connect(server), s))).toEqual(['A', 'B', 'C']);
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('answers writes with NotLeader naming the leader; the client then appends to the leader (%s)', async (_t, batchAppend) => {
    const leader = await EsdbWireServer.start({ batchAppend });
    const follower = await EsdbWireServer.start({ log: leader.log, batchAppend });
    try {
      follower.faults.notLeader = { host: '127.0.0.1', port: leader.port };
      const client = connect(follower);
      const s = stream('leader');
      const err = await failure(client.appendToStream(s, ev('A')));
      expect(err).toBeInstanceOf(NotLeaderError);
      expect((err as NotLeaderError).leader).toEqual({ address: '127.0.0.1', port: leader.port });
      const before = leader.calls.batchAppend + leader.calls.append;
      await client.appendToStream(s, ev('A'));
      expect(leader.calls.batchAppend + leader.calls.append).toBe(before + 1);
      expect(types(await readStream(connect(leader), s))).toEqual(['A']);
    } finally {
      await follower.stop();
      await leader.stop();
    }
  });
});

describe('EventStoreDB wire server: on its own', () => {
  it('runs as a process that prints its connection string and serves the client until SIGTERM', async () => {
    const main = new URL('../support/esdb-wire-server-main.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', main, '0', '--no-batch-append'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = String((await lines.next()).value);
      expect(first).toMatch(/^ready esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/);
      const client = EventStoreDBClient.connectionString(first.slice('ready '.length));
      clients.push(client);
      const s = stream('standalone');
      await client.appendToStream(s, ev('A'));
      expect(types(await readStream(client, s))).toEqual(['A']);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

import { nameUuid } from '../ids.ts';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  JSONType,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError } from './port.ts';
import type { AppendResult, BatchAppend, EventMetadata, EventStore, ExpectedRevision, Handler, NewEvent, RecordedEvent, Subscription } from './port.ts';

/*
 * Global positions. EventStoreDB orders $all by (commit, prepare). Every event of one append shares
 * the append's commit position, and each has its own prepare position (since server 20.6, see
 * EventStore PR #2522), laid out one after another in the transaction file. So the port's single
 * `number` is the event's PREPARE position: unique per event, and increasing in $all order (a
 * gRPC append is written as one contiguous implicit transaction). The commit position alone would
 * not do: several events would share it, and an exclusive `after` would skip the rest of an append.
 *
 * Going back from a number to a Position needs the commit too. For events this adapter has
 * delivered it remembers the pair; for a bare number (a checkpoint read from views.db after a
 * restart) it reads one event backwards from (p, p): if that event's commit is below p and its
 * prepare is at or beyond p, p sits inside that append and the Position is (its commit, p).
 * Reads also drop any event whose prepare is <= the requested `after`, so a mis-guessed commit
 * can only cause a re-read, never a duplicate delivery.
 *
 * Prepare positions are byte offsets in the transaction file: a JavaScript number holds them
 * exactly up to 2^53 (8 PiB), far beyond any Hallway archive.
 */

const CREDENTIAL_PREFIX = 'credential-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** metadata key that keeps an id that is not a UUID (EventStoreDB event ids must be UUIDs) */
const ORIGINAL_ID = 'hallwayId';

/** EventStoreDB needs UUID event ids: a non-UUID id (from an HR export, say) maps to a stable UUID. */
export function esdbEventId(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  return nameUuid(`hallway-event-id:${id}`);
}

const isSystem = (stream: string, type: string): boolean => stream.startsWith('$') || type.startsWith('$');

const toExpected = (e: ExpectedRevision): AppendExpectedRevision =>
  e === 'any' ? ANY : e === 'no_stream' ? NO_STREAM : e === 'stream_exists' ? STREAM_EXISTS : BigInt(e);

const fromActual = (a: unknown): number => (typeof a === 'bigint' ? Number(a) : -1);

const toPortExpected = (e: AppendExpectedRevision): ExpectedRevision =>
  e === ANY ? 'any' : e === NO_STREAM ? 'no_stream' : e === STREAM_EXISTS ? 'stream_exists' : Number(e);

export interface EventStoreDBOptions {
  /** how long to wait before resubscribing after a dropped subscription (ms) */
  resubscribeDelayMs?: number;
}

export function openEventStoreDB(url: string, options: EventStoreDBOptions = {}): EventStore {
  const client = EventStoreDBClient.connectionString(url);
  const resubscribeDelayMs = options.resubscribeDelayMs ?? 500;
  /** prepare -> commit for positions this process has seen (bounded: a recent window is enough) */
  const commits = new Map<number, bigint>();
  const remember = (p: Position): void => {
    commits.set(Number(p.prepare), p.commit);
    if (commits.size > 10_000) {
      const oldest = commits.keys().next().value;
      if (oldest !== undefined) commits.delete(oldest);
    }
  };
  /** credential-* streams whose $maxCount we have already set in this process */
  const capped = new Set<string>();
  const live = new Set<AllStreamSubscription>();

  const toRecorded = (e: EsdbRecordedEvent, position: number): RecordedEvent => {
    const raw = (e.metadata ?? {}) as EventMetadata & { [ORIGINAL_ID]?: string };
    const { [ORIGINAL_ID]: originalId, ...metadata } = raw;
    return {
      id: typeof originalId === 'string' ? originalId : e.id,
      type: e.type,
      stream: e.streamId,
      revision: Number(e.revision),
      position,
      data: e.data as unknown,
      metadata: metadata as EventMetadata,
    };
  };

  const toEsdb = (e: NewEvent) => {
    const id = esdbEventId(e.id);
    return jsonEvent({
      id,
      type: e.type,
      data: e.data as JSONType,
      metadata: (id === e.id.toLowerCase() ? e.metadata : { ...e.metadata, [ORIGINAL_ID]: e.id }) as JSONType,
    });
  };

  /** the Position to read $all from, exclusive of the event at prepare position `after` */
  const positionAfter = async (after: number): Promise<ReadPosition> => {
    if (after <= 0) return START;
    const known = commits.get(after);
    if (known !== undefined) return { commit: known, prepare: BigInt(after) };
    const probe: Position = { commit: BigInt(after), prepare: BigInt(after) };
    for await (const r of client.readAll({ fromPosition: probe, direction: BACKWARDS, maxCount: 1 })) {
      const p = r.event?.position;
      if (p && p.commit < probe.commit && p.prepare >= probe.prepare) return { commit: p.commit, prepare: BigInt(after) };
    }
    return probe;
  };

  const lastEventPosition = async (stream: string): Promise<number | undefined> => {
    for await (const r of client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      const p = r.event?.position;
      // stream reads carry positions only on servers after 22.6; older ones send none (or 2^64-1)
      if (p && p.prepare < 2n ** 62n) return Number(p.prepare);
    }
    return undefined;
  };

  const streamRevision = async (stream: string): Promise<number> => {
    try {
      for await (const r of client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (r.event) return Number(r.event.revision);
      }
      return -1;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return -1;
      throw e;
    }
  };

  const append = async (stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> => {
    if (events.length === 0) throw new Error('append needs at least one event');
    let result;
    try {
      result = await client.appendToStream(stream, events.map(toEsdb), { expectedRevision: toExpected(expected) });
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        throw new ConcurrencyError(stream, toPortExpected(e.expectedVersion ?? toExpected(expected)), fromActual(e.actualVersion));
      }
      throw e;
    }
    if (stream.startsWith(CREDENTIAL_PREFIX) && !capped.has(stream)) {
      // only the latest credential event matters; older password hashes should not linger
      if (result.nextExpectedRevision === BigInt(events.length - 1)) await client.setStreamMetadata(stream, { maxCount: 1 });
      capped.add(stream);
    }
    let position = result.position ? Number(result.position.prepare) : 0;
    // The append's reported prepare may be its first event's; for several events ask for the last one's.
    if (events.length > 1) position = Math.max(position, (await lastEventPosition(stream)) ?? 0);
    if (result.position) remember(result.position);
    return { revision: Number(result.nextExpectedRevision), position };
  };

  const readAllPage = async (after: number, limit: number): Promise<RecordedEvent[]> => {
    const out: RecordedEvent[] = [];
    let from = await positionAfter(after);
    // v6 readAll has no server-side filter: read pages and drop system events here.
    while (out.length < limit) {
      const page = Math.max(limit - out.length, 100);
      let n = 0;
      let last: Position | undefined;
      for await (const r of client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: page })) {
        n += 1;
        const e: AllStreamRecordedEvent | undefined = r.event;
        if (!e) continue;
        last = e.position;
        const p = Number(e.position.prepare);
        if (p <= after || isSystem(e.streamId, e.type)) continue;
        remember(e.position);
        if (out.length < limit) out.push(toRecorded(e, p));
      }
      if (n < page || !last) break;
      from = last;
      // readAll's fromPosition is inclusive: the next page starts by repeating `last`, which the
      // `p <= after` test drops now that every event up to `last` has been looked at
      after = Math.max(after, Number(last.prepare));
    }
    return out;
  };

  const headPosition = async (): Promise<number> => {
    let from: ReadPosition = END;
    for (let i = 0; i < 100; i++) {
      let n = 0;
      let last: Position | undefined;
      for await (const r of client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: 100 })) {
        n += 1;
        const e = r.event;
        if (!e) continue;
        if (!isSystem(e.streamId, e.type)) return Number(e.position.prepare);
        last = e.position;
      }
      if (n < 100 || !last) return 0;
      from = last;
    }
    return 0;
  };

  const store: EventStore = {
    kind: 'eventstoredb',
    // EventStoreDB guarantees an id once only for exact expected revisions: projections dedupe.
    uniqueIds: false,
    append: (stream, events, opts = {}) => append(stream, events, opts.expectedRevision ?? 'any'),
    async appendBatch(items: BatchAppend[]) {
      if (items.length === 0) throw new Error('appendBatch needs at least one item');
      // No multi-stream transaction here: one append per stream, in order. A crash leaves a prefix;
      // the ids make a re-run of the same import complete it.
      let last: AppendResult = { revision: -1, position: 0 };
      for (const it of items) last = await append(it.stream, it.events, it.expectedRevision ?? 'any');
      return last;
    },
    async readStream(stream, opts = {}) {
      const out: RecordedEvent[] = [];
      try {
        for await (const r of client.readStream(stream, { fromRevision: BigInt(opts.fromRevision ?? 0), direction: FORWARDS })) {
          const e = r.event;
          if (!e) continue;
          out.push(toRecorded(e, e.position && e.position.prepare < 2n ** 62n ? Number(e.position.prepare) : 0));
        }
      } catch (e) {
        if (e instanceof StreamNotFoundError) return [];
        throw e;
      }
      return out;
    },
    streamRevision,
    async readAll(opts = {}) {
      return readAllPage(opts.after ?? 0, opts.limit ?? 1000);
    },
    headPosition,
    subscribe(after: number, handler: Handler, onError?: (error: unknown) => void): Subscription {
      let stopped = false;
      let checkpoint = after;
      let current: AllStreamSubscription | undefined;
      let resolveCaughtUp!: () => void;
      const caughtUp = new Promise<void>((r) => (resolveCaughtUp = r));
      let head: number | undefined;
      void headPosition().then(
        (h) => {
          head = h;
          if (h <= checkpoint) resolveCaughtUp();
        },
        () => resolveCaughtUp(),
      );

      const run = async (): Promise<void> => {
        while (!stopped) {
          try {
            const fromPosition = await positionAfter(checkpoint);
            // positions given to subscribeToAll are exclusive; the server filters system events
            const sub = client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() });
            current = sub;
            live.add(sub);
            sub.on('caughtUp', () => resolveCaughtUp());
            for await (const r of sub) {
              if (stopped) break;
              const e = r.event;
              if (!e || isSystem(e.streamId, e.type)) continue;
              const p = Number(e.position.prepare);
              if (p <= checkpoint) continue;
              remember(e.position);
              await handler(toRecorded(e, p));
              checkpoint = p;
              if (head !== undefined && checkpoint >= head) resolveCaughtUp();
            }
            live.delete(sub);
            if (stopped) return;
          } catch (e) {
            if (stopped) return;
            // a dropped subscription (server restart, slow consumer): resubscribe from the last
            // delivered position; an error thrown by the handler itself stops the subscription
            if (e instanceof HandlerError) throw e.cause;
            console.error(`eventstoredb: subscription dropped at position ${checkpoint}, resubscribing: ${e instanceof Error ? e.message : String(e)}`);
          }
          await new Promise((r) => setTimeout(r, resubscribeDelayMs));
        }
      };
      const wrapped: Handler = async (e) => {
        try {
          await handler(e);
        } catch (err) {
          throw new HandlerError(err);
        }
      };
      handler = wrapped;
      const done = run()
        .catch((e: unknown) => {
          stopped = true;
          if (onError) onError(e);
          else console.error('subscription stopped:', e);
        })
        .finally(() => resolveCaughtUp());
      return {
        caughtUp,
        async close() {
          stopped = true;
          if (current) {
            live.delete(current);
            await current.unsubscribe().catch(() => {});
          }
          await done;
        },
      };
    },
    async close() {
      await Promise.allSettled([...live].map((s) => s.unsubscribe()));
      await client.dispose();
    },
  };
  return store;
}

/** marks an error thrown by the subscriber's own handler, which must not trigger a resubscribe */
class HandlerError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

import { nameUuid } from '../ids.ts';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  JSONType,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
  ResolvedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError } from './port.ts';
import type { AppendResult, BatchAppend, EventMetadata, EventStore, ExpectedRevision, Handler, NewEvent, RecordedEvent, Subscription } from './port.ts';

/*
 * Global positions. Since server 20.6 every event written over gRPC is its own committed record:
 * its commit position equals its prepare position (EventStore PR #2522), and $all is ordered by
 * it. The port's `number` is that position; going back to a Position is (p, p). An append's
 * result carries the position of its last event, so no extra read is needed.
 * Not modelled: logs holding multi-event transactions written by a pre-20.6 TCP client, whose
 * events share one commit position.
 *
 * Reads. A client read is a gRPC call: returning from inside `for await` over it abandons the
 * call, which then never ends, and `client.dispose()` waits for it forever. Every read here asks
 * for a bounded count (maxCount) and is consumed to its end (see `drain`).
 *
 * Positions are byte offsets in the transaction file: a JavaScript number holds them exactly up
 * to 2^53 (8 PiB), far beyond any Hallway archive.
 */

const CREDENTIAL_PREFIX = 'credential-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** metadata key that keeps an id that is not a UUID (EventStoreDB event ids must be UUIDs) */
const ORIGINAL_ID = 'hallwayId';
/** events per backwards page while looking for the last user event */
const HEAD_PAGE = 500;
/** stream reads carry positions only on servers after 22.6; older ones send none (or 2^64-1) */
const NO_POSITION = 2n ** 62n;

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

const positionOf = (p: number): ReadPosition => (p <= 0 ? START : { commit: BigInt(p), prepare: BigInt(p) });

/** gRPC status codes that no retry can cure (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) */
const PERMANENT_GRPC_CODES = new Set([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND
  7, // PERMISSION_DENIED
  9, // FAILED_PRECONDITION
  11, // OUT_OF_RANGE
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);
const PERMANENT_TYPES = new Set<string>([
  ErrorType.ACCESS_DENIED,
  ErrorType.NOT_FOUND,
  ErrorType.STREAM_NOT_FOUND,
  ErrorType.STREAM_DELETED,
  ErrorType.INVALID_ARGUMENT,
  ErrorType.UNSUPPORTED,
  ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED,
]);

/**
 * True for an error that retrying cannot cure (access denied, not found, invalid argument,
 * unimplemented). Anything else (unavailable, a leader change, a subscription the server dropped,
 * a deadline) may pass: the subscription retries it with backoff.
 */
export function isPermanentError(e: unknown): boolean {
  if (e instanceof Error && isCommandError(e) && PERMANENT_TYPES.has(e.type)) return true;
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'number' && PERMANENT_GRPC_CODES.has(code);
}

/**
 * True for a failure after which the client reconnects (the server went away, a leader change):
 * a read, or an append that is idempotent on the server, may simply be sent again.
 */
function isReconnectError(e: unknown): boolean {
  if (!(e instanceof Error) || !isCommandError(e)) return false;
  return e.type === ErrorType.UNAVAILABLE || e.type === ErrorType.CANCELLED || e.type === ErrorType.NOT_LEADER;
}

/** attempts of a read or an idempotent append across reconnects */
const ATTEMPTS = 3;

/** Reads a client read to its end, so its gRPC call ends and `dispose()` does not wait on it. */
async function drain<E>(read: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const r of read) out.push(r);
  return out;
}

export interface EventStoreDBOptions {
  /** first wait before resubscribing after a transient failure (ms); doubles up to the maximum */
  resubscribeDelayMs?: number;
  /** longest wait between resubscribe attempts (ms) */
  maxResubscribeDelayMs?: number;
  /** where transient subscription failures are logged */
  log?: (message: string) => void;
}

export function openEventStoreDB(url: string, options: EventStoreDBOptions = {}): EventStore {
  const client = EventStoreDBClient.connectionString(url);
  const baseDelay = options.resubscribeDelayMs ?? 500;
  const maxDelay = Math.max(baseDelay, options.maxResubscribeDelayMs ?? 30_000);
  const log = options.log ?? ((m: string) => console.error(m));
  /** credential-* streams whose $maxCount we have already set in this process */
  const capped = new Set<string>();
  /** open subscriptions, stopped by close() */
  const subscriptions = new Set<Subscription>();
  let closed = false;

  const toRecorded = (e: EsdbRecordedEvent, position: number): RecordedEvent => {
    const raw = (e.metadata ?? {}) as Record<string, unknown>;
    const originalId = raw[ORIGINAL_ID];
    // the metadata without the original id, copied in a loop: an object rest takes V8's slow path
    // (measured in the sealing layer: about 6 µs an event), and every event read passes here
    const metadata: Record<string, unknown> = {};
    for (const k in raw) if (k !== ORIGINAL_ID) metadata[k] = raw[k];
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

  /**
   * Runs `fn` again after a failure the client recovers from by reconnecting (a server restart, a
   * new leader). Only for operations that are safe to repeat: reads, and appends with an exact
   * expected revision or no_stream, which the server answers as no-ops when already written.
   */
  const again = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= ATTEMPTS || closed || !isReconnectError(e)) throw e;
        await new Promise((r) => setTimeout(r, baseDelay * attempt));
      }
    }
  };

  /** the stream's last event, or undefined when it has none */
  const lastOfStream = async (stream: string): Promise<EsdbRecordedEvent | undefined> => {
    try {
      const read = await again(() => drain<ResolvedEvent>(client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })));
      return read[0]?.event;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return undefined;
      throw e;
    }
  };

  const streamRevision = async (stream: string): Promise<number> => {
    const last = await lastOfStream(stream);
    return last ? Number(last.revision) : -1;
  };

  const append = async (stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> => {
    if (events.length === 0) throw new Error('append needs at least one event');
    let result;
    try {
      const send = () => client.appendToStream(stream, events.map(toEsdb), { expectedRevision: toExpected(expected) });
      // `any` and `stream_exists` are not idempotent on the server: such an append is sent once
      result = expected === 'any' || expected === 'stream_exists' ? await send() : await again(send);
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
    // The result's position is the append's last event's (commit == prepare since 20.6). A server
    // may leave it out (an idempotent no-op, say): then the stream's last event stands in.
    let position: number | undefined;
    if (result.position && result.position.prepare < NO_POSITION) position = Number(result.position.prepare);
    else {
      const p = (await lastOfStream(stream))?.position;
      if (p && p.prepare < NO_POSITION) position = Number(p.prepare);
    }
    return { revision: Number(result.nextExpectedRevision), position: position ?? 0 };
  };

  /** user events with positions > after, at most `limit`, reading pages of $all forwards */
  const readAllPage = async (after: number, limit: number): Promise<RecordedEvent[]> => {
    const out: RecordedEvent[] = [];
    let from = positionOf(after);
    // v6 readAll has no server-side filter: read pages and drop system events here.
    while (out.length < limit) {
      const page = Math.max(limit - out.length, 100);
      const read = await again(() => drain<AllStreamResolvedEvent>(client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: page })));
      let last: Position | undefined;
      for (const r of read) {
        const e = r.event;
        if (!e) continue;
        last = e.position;
        const p = Number(e.position.prepare);
        // readAll's fromPosition is inclusive: the event at `after` itself comes back first
        if (p <= after || isSystem(e.streamId, e.type)) continue;
        if (out.length < limit) out.push(toRecorded(e, p));
      }
      if (read.length < page || !last) break;
      from = last;
      after = Math.max(after, Number(last.prepare));
    }
    return out;
  };

  /** the position of the last user event: pages backwards past any number of system events */
  const headPosition = async (): Promise<number> => {
    let from: ReadPosition = END;
    let below = Number.POSITIVE_INFINITY;
    for (;;) {
      const read = await again(() => drain<AllStreamResolvedEvent>(client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE })));
      let last: Position | undefined;
      for (const r of read) {
        const e = r.event;
        if (!e) continue;
        const p = Number(e.position.prepare);
        // a page may repeat the event it started from
        if (p >= below) continue;
        if (!isSystem(e.streamId, e.type)) return p;
        last = e.position;
      }
      if (read.length < HEAD_PAGE || !last) return 0;
      from = last;
      below = Number(last.prepare);
    }
  };

  const subscribe = (after: number, handler: Handler, onError?: (error: unknown) => void): Subscription => {
    let stopped = false;
    let checkpoint = after;
    let current: AllStreamSubscription | undefined;
    let wake: (() => void) | undefined;
    let resolveCaughtUp!: () => void;
    let rejectCaughtUp!: (e: unknown) => void;
    const caughtUp = new Promise<void>((resolve, reject) => {
      resolveCaughtUp = resolve;
      rejectCaughtUp = reject;
    });
    // a caller that never awaits caughtUp must not see an unhandled rejection
    caughtUp.catch(() => {});
    let delay = baseDelay;

    const pause = async (): Promise<void> => {
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
      wake = undefined;
      delay = Math.min(delay * 2, maxDelay);
    };

    /** runs `fn` until it succeeds, retrying transient failures with backoff; undefined once stopped */
    const retrying = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      while (!stopped) {
        try {
          return await fn();
        } catch (e) {
          if (stopped) return undefined;
          if (e instanceof HandlerError || isPermanentError(e)) throw e;
          log(`eventstoredb: ${what} failed at position ${checkpoint}, retrying in ${delay} ms: ${e instanceof Error ? e.message : String(e)}`);
        }
        await pause();
      }
      return undefined;
    };

    const run = async (): Promise<void> => {
      // what "caught up" means: the last user event written before the subscription opened
      const head = await retrying('reading the head position', headPosition);
      if (head === undefined || stopped) return;
      if (head <= checkpoint) resolveCaughtUp();
      await retrying('subscription', async () => {
        // positions given to subscribeToAll are exclusive; the server filters system events
        const sub = client.subscribeToAll({ fromPosition: positionOf(checkpoint), filter: excludeSystemEvents() });
        current = sub;
        // the server says when it has sent the history; events before that message may still sit
        // in the client's buffer, so caught up means: that message seen and the buffer empty
        let serverCaughtUp = false;
        let handling = false;
        sub.on('caughtUp', () => {
          serverCaughtUp = true;
          if (!handling && sub.readableLength === 0) resolveCaughtUp();
        });
        try {
          for await (const r of sub as AsyncIterable<AllStreamResolvedEvent>) {
            if (stopped) break;
            const e = r.event;
            if (!e || isSystem(e.streamId, e.type)) continue;
            const p = Number(e.position.prepare);
            if (p <= checkpoint) continue;
            handling = true;
            try {
              await handler(toRecorded(e, p));
            } catch (err) {
              throw new HandlerError(err);
            } finally {
              handling = false;
            }
            checkpoint = p;
            delay = baseDelay;
            if (checkpoint >= head || (serverCaughtUp && sub.readableLength === 0)) resolveCaughtUp();
          }
        } finally {
          current = undefined;
          await sub.unsubscribe().catch(() => {});
        }
        if (stopped) return;
        // the server ended the subscription without an error: resubscribe from the checkpoint
        throw new Error('subscription ended by the server');
      });
    };

    const done = run().then(
      () => resolveCaughtUp(),
      (e: unknown) => {
        stopped = true;
        const error = e instanceof HandlerError ? e.cause : e;
        rejectCaughtUp(error);
        if (onError) onError(error);
        else log(`eventstoredb: subscription stopped: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    const subscription: Subscription = {
      caughtUp,
      async close() {
        stopped = true;
        wake?.();
        const c = current;
        if (c) await c.unsubscribe().catch(() => {});
        await done;
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  };

  const store: EventStore = {
    kind: 'eventstoredb',
    // EventStoreDB guarantees an id once only for exact expected revisions: projections dedupe.
    uniqueIds: false,
    append: (stream, events, opts = {}) => append(stream, events, opts.expectedRevision ?? 'any'),
    async appendBatch(items: BatchAppend[]) {
      if (items.length === 0) throw new Error('appendBatch needs at least one item');
      // No multi-stream transaction here: one append per item, in order (see the port).
      let last: AppendResult = { revision: -1, position: 0 };
      for (const it of items) last = await append(it.stream, it.events, it.expectedRevision ?? 'any');
      return last;
    },
    async readStream(stream, opts = {}) {
      let read: ResolvedEvent[];
      try {
        read = await again(() => drain<ResolvedEvent>(client.readStream(stream, { fromRevision: BigInt(opts.fromRevision ?? 0), direction: FORWARDS })));
      } catch (e) {
        if (e instanceof StreamNotFoundError) return [];
        throw e;
      }
      const out: RecordedEvent[] = [];
      for (const r of read) {
        const e = r.event;
        if (e) out.push(toRecorded(e, e.position && e.position.prepare < NO_POSITION ? Number(e.position.prepare) : 0));
      }
      return out;
    },
    streamRevision,
    async readAll(opts = {}) {
      return readAllPage(opts.after ?? 0, opts.limit ?? 1000);
    },
    headPosition,
    subscribe(after, handler, onError) {
      if (closed) throw new Error('the store is closed');
      return subscribe(after, handler, onError);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.close()));
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

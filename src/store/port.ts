/**
 * The EventStore port: what Hallway needs of an event log. Both adapters (embedded SQLite and
 * EventStoreDB) implement it with the same guarantees; test/contract checks both.
 *
 * Numbering is EventStoreDB's: a stream's first event has revision 0. Global positions grow with
 * log order; `after` arguments are exclusive and 0 means "from the start".
 */

export interface EventMetadata {
  /** when the event was recorded, ISO-8601 UTC */
  at: string;
  /** the employee (or "system") who caused it */
  actor?: string;
  /** schema version of `data`; absent means 1 */
  v?: number;
  [key: string]: unknown;
}

export interface NewEvent {
  /**
   * Unique id (a UUID for events Hallway makes). Re-appending the same ids to the same stream with
   * the same exact expected revision (a number or `no_stream`) is a no-op on both stores: the
   * retry of an append that already happened succeeds and writes nothing. With `any` or
   * `stream_exists` only the embedded store promises that; EventStoreDB dedupes those on a best
   * effort (a bounded in-memory cache), so a retry may write a duplicate and consumers must not
   * rely on it (projections skip ids they have applied, see `uniqueIds`).
   */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  stream: string;
  revision: number;
  position: number;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** revision of the stream's last event after the append */
  revision: number;
  /** global position of the last event appended (or of the existing one, for a no-op) */
  position: number;
}

/** A wrong expected revision: a typed result the HTTP layer turns into a 409. */
export class ConcurrencyError extends Error {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  /** the stream's actual revision; -1 when it has no events */
  readonly actual: number;
  constructor(stream: string, expected: ExpectedRevision, actual: number) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`);
    this.name = 'ConcurrencyError';
    this.stream = stream;
    this.expected = expected;
    this.actual = actual;
  }
}

export interface ReadAllOptions {
  /** exclusive; 0 = from the start */
  after?: number;
  /** at most this many events */
  limit?: number;
}

/** One stream's share of a multi-stream batch (see EventStore.appendBatch). */
export interface BatchAppend {
  stream: string;
  events: NewEvent[];
  expectedRevision?: ExpectedRevision;
}

export type Handler = (event: RecordedEvent) => void | Promise<void>;

export interface Subscription {
  /** stops delivery; resolves when the handler is no longer called */
  close(): Promise<void>;
  /**
   * Resolves once the handler has processed everything written before the subscription was
   * opened (or when it is closed first); rejects when the subscription stops on an error first.
   */
  readonly caughtUp: Promise<void>;
}

export interface EventStore {
  readonly kind: 'embedded' | 'eventstoredb';
  /**
   * True when the store itself guarantees an event id is stored once (embedded). When false
   * (EventStoreDB: an append with `any` may store an id twice), projections apply each id once
   * themselves (src/projections/runtime.ts).
   */
  readonly uniqueIds: boolean;
  append(stream: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /**
   * Appends to several streams, in the order given. Returns the last item's result.
   * Embedded: one transaction, all or nothing.
   * EventStoreDB: NOT atomic. It has no multi-stream transaction, so the items are appended one
   * after another and a failure (a conflict on item k, a lost connection, a crash) leaves items
   * before it written. Sending the same batch again completes it when every item carries the
   * same ids and an exact expected revision or `no_stream`: the items already written are
   * idempotent no-ops, the rest are appended. Items with `any` may be written twice on a retry.
   */
  appendBatch(items: BatchAppend[]): Promise<AppendResult>;
  /** all events of a stream, forward from `fromRevision` (inclusive) */
  readStream(stream: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]>;
  /** the stream's current revision, -1 when it does not exist */
  streamRevision(stream: string): Promise<number>;
  /** one page of the whole log, in order, with positions > after */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** the position of the last event in the log, 0 when empty */
  headPosition(): Promise<number>;
  /**
   * Catch-up subscription: every event after `after` once and in order, then live events.
   * An error thrown by the handler stops it; so does an error no retry can cure (access denied,
   * say). Both are reported through `onError`. Transient failures (server unavailable, dropped
   * subscription) are retried with backoff from the last delivered position.
   */
  subscribe(after: number, handler: Handler, onError?: (error: unknown) => void): Subscription;
  /**
   * Another thread or process appended: subscribers look for new events now instead of at their
   * next poll. Only stores that poll (embedded) need it; its own appends wake them already.
   */
  wake?(): void;
  close(): Promise<void>;
}

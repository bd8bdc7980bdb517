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
  /** unique id (a UUID for events Hallway makes); appending an id the log holds is a no-op */
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
  /** resolves once the subscription has delivered everything written before it was opened */
  readonly caughtUp: Promise<void>;
}

export interface EventStore {
  readonly kind: 'embedded' | 'eventstoredb';
  /**
   * True when the store itself guarantees an event id is stored once (embedded). When false
   * (EventStoreDB with expected revision "any"), projections must apply each id once themselves.
   */
  readonly uniqueIds: boolean;
  append(stream: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /**
   * Appends to several streams in one call, in the order given (used by `hallway import`).
   * Embedded: one transaction, all or nothing. EventStoreDB has no multi-stream transaction: the
   * items are appended one after another, so a crash can leave a prefix of them; since every event
   * carries its id, re-running the same batch completes it. Returns the last item's result.
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
  /** catch-up subscription: every event after `after` once and in order, then live events */
  subscribe(after: number, handler: Handler, onError?: (error: unknown) => void): Subscription;
  close(): Promise<void>;
}

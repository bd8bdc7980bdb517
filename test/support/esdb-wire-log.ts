/*
 * The in-memory transaction log behind the EventStoreDB wire server (esdb-wire-server.ts).
 *
 * It models what a client can observe of EventStoreDB's log: every event is its own committed
 * record (since 20.6 a gRPC append writes prepares flagged IsCommitted, so an event's commit
 * position equals its prepare position), records sit at growing byte offsets (each record's size
 * is derived from what it holds, so positions are never 0, 1, 2…), and system records (epochs)
 * take room in the log without being events. The log outlives the server that serves it: stop a
 * server and start another on the same WireLog, and the events are all there.
 */

/** one event in the log */
export interface WireRecord {
  /** byte offset of the record: its prepare position and, being self-committed, its commit position */
  readonly position: number;
  /** bytes the record takes, length prefix and suffix included: the next record starts at position + size */
  readonly size: number;
  readonly stream: string;
  readonly type: string;
  /** lower-case UUID */
  readonly id: string;
  readonly revision: number;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  readonly isJson: boolean;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created` */
  readonly created: bigint;
}

export interface ProposedEvent {
  id: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
}

/** a prepare record's fixed part (flags, positions, ids, timestamps, length prefix and suffix) */
const RECORD_OVERHEAD = 94;
/** an epoch record (a system record, not an event) */
const EPOCH_RECORD_SIZE = 128;

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

export const isMetastream = (stream: string): boolean => stream.startsWith('$$');
export const metastreamOf = (stream: string): string => `$$${stream}`;

export class WireLog {
  /** events in log order */
  readonly events: WireRecord[] = [];
  private readonly streams = new Map<string, WireRecord[]>();
  /** positions where a record starts (events and system records) */
  private readonly starts = new Set<number>();
  /** the writer checkpoint: where the next record goes */
  private end = 0;
  private waiters: (() => void)[] = [];
  private epochNumber = -1;

  /** where the next record will be written (the position of "end of $all") */
  get endPosition(): number {
    return this.end;
  }

  /** the log as a fresh node starts it: an epoch record, then the `$epoch-information` event */
  writeEpoch(): void {
    this.epochNumber += 1;
    const epochPosition = this.end;
    this.starts.add(epochPosition);
    this.end += EPOCH_RECORD_SIZE;
    this.append('$epoch-information', [
      {
        id: randomUuid(),
        type: '$epoch-information',
        isJson: true,
        data: Buffer.from(JSON.stringify({ epochNumber: this.epochNumber, epochPosition, leaderInstanceId: '00000000-0000-0000-0000-000000000001' })),
        metadata: new Uint8Array(),
      },
    ]);
  }

  stream(name: string): readonly WireRecord[] {
    return this.streams.get(name) ?? [];
  }

  /** the last event number of a stream, -1 when it has none */
  lastRevision(name: string): number {
    return (this.streams.get(name)?.length ?? 0) - 1;
  }

  /** a position a read may start from: where a record starts, or the end of the log */
  isBoundary(position: number): boolean {
    return position === this.end || this.starts.has(position);
  }

  /** writes the events one after another; the caller has already checked the expected revision */
  append(stream: string, events: readonly ProposedEvent[]): WireRecord[] {
    let list = this.streams.get(stream);
    if (!list) {
      list = [];
      this.streams.set(stream, list);
    }
    const created = BigInt(Date.now()) * 10_000n;
    const written: WireRecord[] = [];
    for (const e of events) {
      const size = RECORD_OVERHEAD + utf8Length(stream) + utf8Length(e.type) + e.data.length + e.metadata.length;
      const record: WireRecord = {
        position: this.end,
        size,
        stream,
        type: e.type,
        id: e.id,
        revision: list.length,
        data: e.data,
        metadata: e.metadata,
        isJson: e.isJson,
        created,
      };
      this.starts.add(record.position);
      this.end += size;
      list.push(record);
      this.events.push(record);
      written.push(record);
    }
    this.wake();
    return written;
  }

  /** an empty write (no events) still writes one prepare record */
  appendEmptyRecord(): number {
    const position = this.end;
    this.starts.add(position);
    this.end += RECORD_OVERHEAD;
    this.wake();
    return position;
  }

  /** index of the first event at or after (commit, prepare) in $all order: the start of a forward read */
  indexAtOrAfter(commit: number, prepare: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = this.events[mid]!.position;
      if (p > commit || (p === commit && p >= prepare)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** index of the first event strictly after (commit, prepare): the start of a subscription from a position */
  indexAfter(commit: number, prepare: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = this.events[mid]!.position;
      if (p > commit || (p === commit && p > prepare)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * index of the last event whose record ENDS at or before (commit, prepare): the start of a
   * backward read (EventStoreDB reads backwards from a position the records that precede it, so
   * reading backwards from an event's own position does not return that event). -1 when none.
   */
  indexEndingAtOrBefore(commit: number, prepare: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.events[mid]!;
      const post = e.position + e.size;
      if (post < commit || (post === commit && post <= prepare)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** resolves when something is written to the log (or at once when `signal` is aborted) */
  changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

export function randomUuid(): string {
  return crypto.randomUUID();
}

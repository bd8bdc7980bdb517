import type { BatchAppend } from '../store/port.ts';
import { circulationDecider } from '../domain/circulation.ts';
import { isDomainError } from '../domain/decider.ts';
import type { AppContext, CurrentUser } from '../http/env.ts';
import { facts } from './record.ts';
import { nameUuid } from '../ids.ts';
import { envelope } from '../command.ts';
import type { HallwayEvent } from '../../events/catalogue.ts';

/**
 * Records that `user` opened a story page (StoryRead), at most once per reader, story and UTC day
 * (the event id is derived from the three, and appending an id the log holds is a no-op), never
 * for the teller. The page does not wait for it: the read is decided at once (a refused one is
 * dropped, as it must not cost the person the story) and queued, and the queue is appended off the
 * request path, many reads in one batch through the store's append (one disk sync per batch, not
 * per page). A reader without JavaScript is counted all the same: opening the page is the read.
 * `flushReads` appends what is queued and waits for the read models (tests, shutdown).
 */

/** how long a read may wait to be batched with others before it is appended */
const BATCH_MS = 50;
/** a batch this large is appended at once */
const BATCH_MAX = 500;
/** ids recorded lately: a reader reloading a page costs no append at all */
const RECENT_MAX = 10_000;

interface PendingRead {
  id: string;
  /** what the id is derived from (StoryRead|story|reader|day) */
  name: string;
  storyId: string;
  readerId: string;
  at: string;
  /** what the decider decided (one StoryRead) */
  events: HallwayEvent[];
}

class ReadQueue {
  private pending = new Map<string, PendingRead>();
  private recent = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: AppContext) {}

  /** whether this read is queued or was appended lately */
  has(id: string): boolean {
    return this.pending.has(id) || this.recent.has(id);
  }

  /** the names (reader, story, day) of the reads queued or appended lately, beside their ids */
  private names = new Set<string>();

  hasName(name: string): boolean {
    return this.names.has(name);
  }

  add(read: PendingRead): void {
    if (this.names.size >= RECENT_MAX) this.names.clear();
    this.names.add(read.name);
    if (this.pending.has(read.id) || this.recent.has(read.id)) return;
    this.pending.set(read.id, read);
    if (this.pending.size >= BATCH_MAX) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), BATCH_MS);
      // a queued read must not keep a finished process alive: shutdown flushes
      this.timer.unref();
    }
  }

  /** Appends everything queued (one batch), after any append already under way; resolves with its position. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.running = this.running.then(async () => {
      if (batch.length === 0) return;
      const items: BatchAppend[] = batch.map((r) => ({
        stream: `circulation-${r.storyId}`,
        // the one envelope every write gets (src/command.ts): id, type, data, at, actor, schema version
        events: r.events.map((e) => envelope(e, r.id, r.at, r.readerId)),
        expectedRevision: 'any',
      }));
      try {
        await this.ctx.store.appendBatch(items);
        for (const r of batch) this.remember(r.id);
      } catch (err) {
        // the reads are lost, the pages are not: say so and carry on (the next visit records them)
        for (const r of batch) this.names.delete(r.name);
        console.error(`recording ${batch.length} story reads failed`, err);
      }
    });
    return this.running;
  }

  private remember(id: string): void {
    if (this.recent.size >= RECENT_MAX) this.recent.clear();
    this.recent.add(id);
  }
}

const queues = new WeakMap<AppContext['store'], ReadQueue>();
const queueOf = (ctx: AppContext): ReadQueue => {
  let q = queues.get(ctx.store);
  if (!q) queues.set(ctx.store, (q = new ReadQueue(ctx)));
  return q;
};

export function recordRead(ctx: AppContext, user: CurrentUser, storyId: string, tellerId: string): void {
  if (user.employeeId === tellerId || user.via !== 'session') return;
  const data = { storyId, readerId: user.employeeId };
  const now = ctx.clock();
  const name = `StoryRead|${storyId}|${user.employeeId}|${now.toISOString().slice(0, 10)}`;
  const queue = queueOf(ctx);
  // read again today (a reload): nothing to decide or append (looked up by name: no hash per page)
  if (queue.hasName(name)) return;
  const id = nameUuid(name);
  if (queue.has(id)) return;
  const decided = circulationDecider.decide({ type: 'RecordRead', data, facts: facts(ctx.runtime.db, storyId, [user.employeeId]) }, circulationDecider.initialState());
  if (isDomainError(decided) || decided.length === 0) return;
  queue.add({ id, name, storyId, readerId: user.employeeId, at: now.toISOString(), events: decided });
}

/**
 * Appends the queued reads now and (unless `wait` is false: shutdown needs only the append) waits
 * until the read models have them.
 */
export async function flushReads(ctx: AppContext, opts: { wait?: boolean } = {}): Promise<void> {
  const q = queues.get(ctx.store);
  if (!q) return;
  await q.flush();
  if (opts.wait !== false) await ctx.runtime.waitFor(await ctx.store.headPosition());
}

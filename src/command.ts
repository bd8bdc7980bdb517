/**
 * The one command path: every write Hallway makes goes through `commit` (or `handle`, which reads,
 * folds and decides first). It builds each event's envelope (id, type, data, and metadata with
 * `at`, `actor` and the schema version `v`), appends with the expected revision, lets a wrong
 * expected revision surface as the store's ConcurrencyError (one typed error on both stores), and
 * waits for the read models (ProjectionLagError when they do not catch up in time), so the next
 * page shows the change. Deciders stay pure in src/domain; this is the I/O at the edge.
 */
import { currentVersion, upcast } from '../events/catalogue.ts';
import type { HallwayEvent } from '../events/catalogue.ts';
import type { Decider, DomainError } from './domain/decider.ts';
import { isDomainError } from './domain/decider.ts';
import type { AppendResult, BatchAppend, EventStore, ExpectedRevision, NewEvent } from './store/port.ts';

/** What a write needs; the app's context has all of it, the CLI has no read models to wait for. */
export interface CommandContext {
  store: EventStore;
  clock: () => Date;
  newId: () => string;
  runtime?: { waitFor(position: number): Promise<void> };
}

/** Events for one stream, appended with an expected revision. */
export interface Write {
  stream: string;
  events: HallwayEvent[];
  expectedRevision: ExpectedRevision;
  /**
   * One id per event. Give ids derived from the request (src/ids.ts) to make a retried write a
   * no-op on both stores; by default each event gets a fresh id.
   */
  ids?: string[];
}

export interface Handled {
  ok: true;
  events: HallwayEvent[];
  revision: number;
  /** position of the last event written (or found, for a retry); 0 when nothing was written */
  position: number;
}

/** The stored form of one event, as every writer builds it. */
export const envelope = (event: HallwayEvent, id: string, at: string, actor: string): NewEvent => ({
  id,
  type: event.type,
  data: event.data,
  metadata: { at, actor, v: currentVersion(event.type) },
});

/**
 * Appends the writes, in order, then waits for the read models. Several writes go in one
 * appendBatch: one transaction on the embedded store; one after another on EventStoreDB, where
 * deterministic ids and exact expected revisions let a retry of the whole request complete it.
 */
export async function commit(ctx: CommandContext, actor: string, writes: Write[]): Promise<AppendResult> {
  const at = ctx.clock().toISOString();
  const items: BatchAppend[] = writes
    .filter((w) => w.events.length > 0)
    .map((w) => ({
      stream: w.stream,
      events: w.events.map((e, i) => envelope(e, w.ids?.[i] ?? ctx.newId(), at, actor)),
      expectedRevision: w.expectedRevision,
    }));
  if (items.length === 0) return { revision: -1, position: 0 };
  const only = items.length === 1 ? items[0]! : undefined;
  const result = only ? await ctx.store.append(only.stream, only.events, { expectedRevision: only.expectedRevision }) : await ctx.store.appendBatch(items);
  if (ctx.runtime && result.position) await ctx.runtime.waitFor(result.position);
  return result;
}

/**
 * Folds a stream's events into state; revision -1 when the stream does not exist. A stream holds
 * only its family's events (E), which is what the cast says.
 */
export async function loadState<C, S, E extends HallwayEvent>(store: EventStore, stream: string, decider: Decider<C, S, E>): Promise<{ state: S; revision: number }> {
  let state = decider.initialState();
  let revision = -1;
  for (const e of await store.readStream(stream)) {
    state = decider.evolve(state, { type: e.type, data: upcast(e.type, e.data, e.metadata.v ?? 1) } as E);
    revision = e.revision;
  }
  return { state, revision };
}

export interface HandleOptions {
  /** who did it (employee id, or "system") */
  actor: string;
  /**
   * 'read' (default): fold the stream and append at the revision read.
   * A number: the revision the person's form was based on (a stale form is a ConcurrencyError).
   * 'new': the command creates the stream. It is decided from the initial state and appended with
   * no_stream, so with derived `ids` a retry is a no-op and anything else a ConcurrencyError.
   * 'any': the stream's history matters to `decide`, but the append need not be exclusive.
   */
  expected?: 'read' | 'new' | 'any' | number;
  /** derived event ids (see Write.ids) */
  ids?: string[];
}

/** The command handler: read, fold, decide, commit. A refusal is returned, never thrown. */
export async function handle<C, S, E extends HallwayEvent>(
  ctx: CommandContext,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  opts: HandleOptions,
): Promise<Handled | DomainError> {
  const expected = opts.expected ?? 'read';
  const { state, revision } = expected === 'new' ? { state: decider.initialState(), revision: -1 } : await loadState(ctx.store, stream, decider);
  const decided = decider.decide(command, state);
  if (isDomainError(decided)) return decided;
  const base = expected === 'read' ? revision : expected;
  const expectedRevision: ExpectedRevision = base === 'new' || base === -1 ? 'no_stream' : base;
  const r = await commit(ctx, opts.actor, [{ stream, events: decided, expectedRevision, ...(opts.ids ? { ids: opts.ids } : {}) }]);
  return { ok: true, events: decided, revision: decided.length ? r.revision : revision, position: r.position };
}

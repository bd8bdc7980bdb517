import type { HallwayEvent } from '../../events/catalogue.ts';
import { currentVersion, upcast } from '../../events/catalogue.ts';
import type { EventStore, ExpectedRevision } from '../store/port.ts';
import type { Decider, DomainError } from './decider.ts';
import { isDomainError } from './decider.ts';

export interface Handled {
  ok: true;
  events: HallwayEvent[];
  revision: number;
  position: number;
}

export interface HandleOptions {
  /** who did it (employee id, or "system") */
  actor: string;
  /** when; from the app's clock */
  at: Date;
  /** event ids; give deterministic ones to make a retried command a no-op */
  ids: () => string;
  /** the revision the person's form was based on (optimistic concurrency); default: the one read */
  expectedRevision?: ExpectedRevision;
}

/** Folds a stream's events into state. */
export async function loadState<S, C>(store: EventStore, stream: string, decider: Decider<C, S>): Promise<{ state: S; revision: number }> {
  const events = await store.readStream(stream);
  let state = decider.initialState();
  let revision = -1;
  for (const e of events) {
    state = decider.evolve(state, { type: e.type, data: upcast(e.type, e.data, e.metadata.v ?? 1) } as HallwayEvent);
    revision = e.revision;
  }
  return { state, revision };
}

/**
 * The command handler: read the stream, fold, decide, append with the expected revision.
 * A ConcurrencyError from the store propagates (the HTTP layer answers 409).
 */
export async function handle<C, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, S>,
  command: C,
  opts: HandleOptions,
): Promise<Handled | DomainError> {
  const { state, revision } = await loadState(store, stream, decider);
  const decided = decider.decide(command, state);
  if (isDomainError(decided)) return decided;
  if (decided.length === 0) return { ok: true, events: [], revision, position: 0 };
  const at = opts.at.toISOString();
  const result = await store.append(
    stream,
    decided.map((e) => ({
      id: opts.ids(),
      type: e.type,
      data: e.data,
      metadata: { at, actor: opts.actor, ...(currentVersion(e.type) > 1 ? { v: currentVersion(e.type) } : {}) },
    })),
    { expectedRevision: opts.expectedRevision ?? (revision === -1 ? 'no_stream' : revision) },
  );
  return { ok: true, events: decided, ...result };
}

import { createHash } from 'node:crypto';
import type { DataOf } from '../../events/catalogue.ts';
import { circulationDecider } from '../domain/circulation.ts';
import type { CirculationCommand, CirculationFacts, Standing } from '../domain/circulation.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import type { AppContext } from '../http/env.ts';
import type { Views } from '../projections/runtime.ts';
import { circulatingTeller, standingOf } from '../read/spread.ts';

/**
 * Records circulation: look up the facts the decider needs (does the story exist, is each person
 * a current employee) in the spread read model, decide, append to circulation-{storyId}, and wait
 * until the projections have it so the next page shows it.
 */

export function facts(db: Views, storyId: string, people: string[]): CirculationFacts {
  const standing: Record<string, Standing> = {};
  for (const p of people) standing[p] = standingOf(db, p);
  return { tellerId: circulatingTeller(db, storyId), standing };
}

/** A UUID-shaped id derived from a key: the same key twice is the same event, stored once. */
export function idFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function record(ctx: AppContext, command: CirculationCommand, actor: string, id: string): Promise<{ ok: true; recorded: boolean } | DomainError> {
  const decided = circulationDecider.decide(command, circulationDecider.initialState());
  if (isDomainError(decided)) return decided;
  if (decided.length === 0) return { ok: true, recorded: false };
  const at = ctx.clock().toISOString();
  const r = await ctx.store.append(
    `circulation-${command.data.storyId}`,
    decided.map((e) => ({ id, type: e.type, data: e.data, metadata: { at, actor } })),
    { expectedRevision: 'any' },
  );
  await ctx.runtime.waitFor(r.position);
  return { ok: true, recorded: true };
}

/**
 * StoryRead at most once per reader, story and UTC day: the event id is derived from the three,
 * and appending an id the log holds is a no-op (projections also apply each id once).
 */
export function recordRead(ctx: AppContext, data: DataOf<'StoryRead'>) {
  const day = ctx.clock().toISOString().slice(0, 10);
  return record(ctx, { type: 'RecordRead', data, facts: facts(ctx.runtime.db, data.storyId, [data.readerId]) }, data.readerId, idFor(`StoryRead|${data.storyId}|${data.readerId}|${day}`));
}

export function recordHeard(ctx: AppContext, data: DataOf<'StoryHeard'>) {
  const people = data.fromId !== undefined ? [data.listenerId, data.fromId] : [data.listenerId];
  return record(ctx, { type: 'RecordHeard', data, facts: facts(ctx.runtime.db, data.storyId, people) }, data.listenerId, ctx.newId());
}

export function recordShare(ctx: AppContext, data: DataOf<'StoryShared'>) {
  return record(ctx, { type: 'RecordShare', data, facts: facts(ctx.runtime.db, data.storyId, [data.fromId, data.toId]) }, data.fromId, ctx.newId());
}

import type { DataOf } from '../../events/catalogue.ts';
import { circulationDecider } from '../domain/circulation.ts';
import type { CirculationCommand, CirculationFacts, Standing } from '../domain/circulation.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { commit } from '../command.ts';
import type { AppContext } from '../http/env.ts';
import { nameUuid } from '../ids.ts';
import type { Views } from '../projections/runtime.ts';
import { orgQueries } from '../read/org.ts';
import { circulationStory } from '../read/stories.ts';
import { lastHeard } from '../read/reading.ts';
import { emailShared } from '../mail/notify.ts';

/**
 * Records circulation: look up the facts the decider needs (does the story exist, is each person
 * a current employee) in the stories and org read models, decide, append to circulation-{storyId},
 * and wait until the projections have it so the next page shows it. Both read models run in the
 * projections' main lane, ahead of spread: what a page shows can be circulated at once.
 */

export function facts(db: Views, storyId: string, people: string[]): CirculationFacts {
  const standing: Record<string, Standing> = {};
  const org = orgQueries(db);
  for (const p of people) {
    const e = org.employee(p);
    standing[p] = !e ? 'unknown' : e.leftAt ? 'left' : 'active';
  }
  const story = circulationStory(db, storyId);
  return { tellerId: story.tellerId, standing, ...(story.awaitingReview ? { awaitingReview: true } : {}) };
}

/**
 * No rule depends on the circulation stream's history, so it is not read: decided from the initial
 * state and appended with 'any' through the command path.
 */
async function record(ctx: AppContext, command: CirculationCommand, actor: string, id?: string): Promise<{ ok: true; recorded: boolean } | DomainError> {
  const decided = circulationDecider.decide(command, circulationDecider.initialState());
  if (isDomainError(decided)) return decided;
  if (decided.length === 0) return { ok: true, recorded: false };
  await commit(ctx, actor, [{ stream: `circulation-${command.data.storyId}`, events: decided, expectedRevision: 'any', ...(id ? { ids: [id] } : {}) }]);
  return { ok: true, recorded: true };
}

/**
 * StoryRead at most once per reader, story and UTC day: the event id is derived from the three,
 * and appending an id the log holds is a no-op (projections also apply each id once).
 */
export function recordRead(ctx: AppContext, data: DataOf<'StoryRead'>) {
  const day = ctx.clock().toISOString().slice(0, 10);
  return record(ctx, { type: 'RecordRead', data, facts: facts(ctx.runtime.db, data.storyId, [data.readerId]) }, data.readerId, nameUuid(`StoryRead|${data.storyId}|${data.readerId}|${day}`));
}

/**
 * "I've heard this one", at most once per listener, story and UTC day: the decider refuses a second
 * one the same day from the reading read model's last day, and the event id is derived from the
 * three so that two clicks racing each other append one event.
 */
export function recordHeard(ctx: AppContext, data: DataOf<'StoryHeard'>) {
  const people = data.fromId !== undefined ? [data.listenerId, data.fromId] : [data.listenerId];
  const day = ctx.clock().toISOString().slice(0, 10);
  const known = { ...facts(ctx.runtime.db, data.storyId, people), lastHeardDay: lastHeard(ctx.runtime.db, data.listenerId, data.storyId)?.day ?? null };
  return record(ctx, { type: 'RecordHeard', data, facts: known, day }, data.listenerId, nameUuid(`StoryHeard|${data.storyId}|${data.listenerId}|${day}`));
}

/** A share, and the recipient's "sent to you" email queued (when email is set up and they want it). */
export async function recordShare(ctx: AppContext, data: DataOf<'StoryShared'>) {
  const r = await record(ctx, { type: 'RecordShare', data, facts: facts(ctx.runtime.db, data.storyId, [data.fromId, data.toId]) }, data.fromId);
  if ('ok' in r && r.recorded) {
    // the share is recorded whatever becomes of its email: a broken outbox is logged, not the sender's problem
    try {
      emailShared(ctx, data);
    } catch (err) {
      ctx.logger?.error({ err }, 'queueing a "sent to you" email failed');
    }
  }
  return r;
}

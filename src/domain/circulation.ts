import type { DataOf, HallwayEvent } from '../../events/catalogue.ts';
import type { Decider, DomainError } from './decider.ts';

/**
 * The circulation-{storyId} stream: reads, "I've heard this one", and shares. SPREAD.md refuses
 * an exposure with X = Y, of an unknown story, or of someone who has not joined or has left; those
 * facts live in other streams, so they come in with the command (looked up in the read models),
 * and `decide` stays pure. No rule depends on the stream's own history: the handler appends with
 * expected revision "any", so a popular story is never a source of conflicts.
 */
export type Standing = 'active' | 'left' | 'unknown';

export interface CirculationFacts {
  /** the story's teller, or null when the log holds no such story (or it was retracted) */
  tellerId: string | null;
  /** the story is awaiting review: nothing is recorded for it until a curator approves it */
  awaitingReview?: boolean;
  /** the standing of every person the command names */
  standing: Record<string, Standing>;
  /** for "heard": the last UTC day (YYYY-MM-DD) the listener said they had heard this story */
  lastHeardDay?: string | null;
}

export type CirculationCommand =
  | { type: 'RecordRead'; data: DataOf<'StoryRead'>; facts: CirculationFacts }
  | { type: 'RecordHeard'; data: DataOf<'StoryHeard'>; facts: CirculationFacts; /** today, UTC (YYYY-MM-DD) */ day: string }
  | { type: 'RecordShare'; data: DataOf<'StoryShared'>; facts: CirculationFacts };

export type CirculationState = Record<string, never>;

function person(facts: CirculationFacts, id: string, field: string, who: string): DomainError | null {
  const s = facts.standing[id] ?? 'unknown';
  if (s === 'unknown') return { error: 'unknown-person', message: `${who} is not someone who works here`, field, kind: 'invalid' };
  if (s === 'left') return { error: 'person-left', message: `${who} has left the company`, field, kind: 'invalid' };
  return null;
}

const noStory: DomainError = { error: 'unknown-story', message: 'there is no such story', kind: 'not-found' };
const held: DomainError = {
  error: 'awaiting-review',
  message: 'this story is awaiting review: nothing can be recorded for it until a curator publishes it',
  kind: 'invalid',
};

export const circulationDecider: Decider<CirculationCommand, CirculationState> = {
  initialState: () => ({}),
  evolve: (state) => state,
  decide(command): HallwayEvent[] | DomainError {
    const { facts } = command;
    if (facts.tellerId === null) return noStory;
    if (facts.awaitingReview) return held;
    switch (command.type) {
      case 'RecordRead': {
        // the teller's own reads are not recorded
        if (command.data.readerId === facts.tellerId) return [];
        return person(facts, command.data.readerId, 'readerId', 'the reader') ?? [{ type: 'StoryRead', data: command.data }];
      }
      case 'RecordHeard': {
        const d = command.data;
        if (d.fromId !== undefined && d.fromId === d.listenerId) return { error: 'self', message: 'you cannot have heard it from yourself', field: 'fromId', kind: 'invalid' };
        // "I've heard this one" is a state, not a counter: a second click the same UTC day records nothing
        if (facts.lastHeardDay === command.day) return [];
        return (
          person(facts, d.listenerId, 'listenerId', 'the listener') ??
          (d.fromId !== undefined ? person(facts, d.fromId, 'fromId', 'the colleague you heard it from') : null) ?? [{ type: 'StoryHeard', data: d }]
        );
      }
      case 'RecordShare': {
        const d = command.data;
        if (d.fromId === d.toId) return { error: 'self', message: 'choose a colleague other than yourself', field: 'toId', kind: 'invalid' };
        return person(facts, d.fromId, 'fromId', 'the sender') ?? person(facts, d.toId, 'toId', 'the colleague') ?? [{ type: 'StoryShared', data: d }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

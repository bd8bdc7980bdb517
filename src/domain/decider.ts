import type { HallwayEvent } from '../../events/catalogue.ts';

/** A refusal from `decide`: the HTTP layer shows `message` beside `field` (422) or as a 409. */
export interface DomainError {
  error: string;
  message: string;
  field?: string;
  /** 'conflict' becomes a 409, everything else a 422 */
  kind?: 'invalid' | 'conflict' | 'not-found' | 'forbidden';
}

export const isDomainError = (x: unknown): x is DomainError =>
  typeof x === 'object' && x !== null && 'error' in x && 'message' in x && !Array.isArray(x);

/** A stream family as pure functions (Emmett's decider): no I/O, no clock, no randomness. */
export interface Decider<Command, State, Event extends HallwayEvent = HallwayEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[] | DomainError;
}

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

/**
 * A stream family as pure functions (Emmett's decider): no I/O, no clock, no randomness.
 * Property-style function types, not methods: methods are checked bivariantly, which would let a
 * decider that handles only some commands stand in for one that must handle them all.
 */
export interface Decider<Command, State, Event extends HallwayEvent = HallwayEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => Event[] | DomainError;
}

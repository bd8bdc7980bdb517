import type { DataOf, HallwayEvent } from '../../events/catalogue.ts';
import type { Decider, DomainError } from './decider.ts';

export type SessionCommand =
  | { type: 'StartSession'; data: DataOf<'SessionStarted'> }
  | { type: 'ExtendSession'; data: DataOf<'SessionExtended'> }
  | { type: 'EndSession'; data: DataOf<'SessionEnded'> };

export interface SessionState {
  status: 'none' | 'active' | 'ended';
  expiresAt: string | null;
}

/** The session-{id} stream: started once, extended while active, ended once. */
export const sessionDecider: Decider<SessionCommand, SessionState> = {
  initialState: () => ({ status: 'none', expiresAt: null }),
  evolve(state, event: HallwayEvent) {
    switch (event.type) {
      case 'SessionStarted':
        return { status: 'active', expiresAt: event.data.expiresAt };
      case 'SessionExtended':
        return { ...state, expiresAt: event.data.expiresAt };
      case 'SessionEnded':
        return { ...state, status: 'ended' };
      default:
        return state;
    }
  },
  decide(command, state): HallwayEvent[] | DomainError {
    switch (command.type) {
      case 'StartSession':
        if (state.status !== 'none') return { error: 'session-exists', message: 'this session already exists', kind: 'conflict' };
        return [{ type: 'SessionStarted', data: command.data }];
      case 'ExtendSession':
        if (state.status !== 'active') return { error: 'session-not-active', message: 'this session has ended', kind: 'conflict' };
        return [{ type: 'SessionExtended', data: command.data }];
      case 'EndSession':
        // ending an ended session is a no-op, so signing out twice is harmless
        if (state.status !== 'active') return [];
        return [{ type: 'SessionEnded', data: command.data }];
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

import type { DataOf, HallwayEvent } from '../../events/catalogue.ts';
import type { Decider, DomainError } from './decider.ts';

/**
 * The apitoken-{tokenId} stream: an admin issues a token for a leader (only its secret's SHA-256
 * is recorded), and may revoke it. Whether the person is a leader comes in with the command.
 */
export type ApiTokenCommand =
  | { type: 'IssueApiToken'; data: DataOf<'ApiTokenIssued'>; holderIsActiveLeader: boolean }
  | { type: 'RevokeApiToken'; data: DataOf<'ApiTokenRevoked'> };

export interface ApiTokenState {
  status: 'none' | 'active' | 'revoked';
}

export const apiTokenDecider: Decider<ApiTokenCommand, ApiTokenState> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event: HallwayEvent) {
    switch (event.type) {
      case 'ApiTokenIssued':
        return { status: 'active' };
      case 'ApiTokenRevoked':
        return { status: 'revoked' };
      default:
        return state;
    }
  },
  decide(command, state): HallwayEvent[] | DomainError {
    switch (command.type) {
      case 'IssueApiToken':
        if (state.status !== 'none') return { error: 'token-exists', message: 'this token already exists', kind: 'conflict' };
        if (!command.holderIsActiveLeader) return { error: 'not-a-leader', message: 'choose a current employee with the leader role', field: 'employeeId', kind: 'invalid' };
        return [{ type: 'ApiTokenIssued', data: command.data }];
      case 'RevokeApiToken':
        if (state.status === 'none') return { error: 'no-token', message: 'no such token', kind: 'not-found' };
        // revoking twice is harmless
        if (state.status === 'revoked') return [];
        return [{ type: 'ApiTokenRevoked', data: command.data }];
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

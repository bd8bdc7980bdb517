import { timingSafeEqual } from 'node:crypto';
import type { DataOf, HallwayEvent } from '../../events/catalogue.ts';
import type { Decider, DomainError } from '../domain/decider.ts';

/**
 * The credential-{employeeId} stream as a decider: an invitation (only the SHA-256 of its token
 * is recorded) and the password set from it. Pure: the time arrives in the command.
 */
export type CredentialCommand =
  | { type: 'IssueInvitation'; data: DataOf<'InvitationIssued'> }
  | { type: 'AcceptInvitation'; data: DataOf<'PasswordSet'>; tokenHash: string; now: string }
  | { type: 'SetPassword'; data: DataOf<'PasswordSet'> };

export interface CredentialState {
  invitation: { tokenHash: string; expiresAt: string } | null;
  hasPassword: boolean;
}

const sameHash = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

const gone: DomainError = { error: 'invitation-invalid', message: 'This invitation link is not valid any more. Ask an admin for a new one.', kind: 'not-found' };

export const credentialDecider: Decider<CredentialCommand, CredentialState> = {
  initialState: () => ({ invitation: null, hasPassword: false }),
  evolve(state, event: HallwayEvent) {
    switch (event.type) {
      case 'InvitationIssued':
        return { ...state, invitation: { tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt } };
      case 'PasswordSet':
        // setting a password uses up the invitation
        return { invitation: null, hasPassword: true };
      default:
        return state;
    }
  },
  decide(command, state): HallwayEvent[] | DomainError {
    switch (command.type) {
      case 'IssueInvitation':
        return [{ type: 'InvitationIssued', data: command.data }];
      case 'AcceptInvitation': {
        const inv = state.invitation;
        if (!inv || !sameHash(inv.tokenHash, command.tokenHash)) return gone;
        if (Date.parse(command.now) >= Date.parse(inv.expiresAt)) return gone;
        return [{ type: 'PasswordSet', data: command.data }];
      }
      case 'SetPassword':
        return [{ type: 'PasswordSet', data: command.data }];
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

import { describe, expect, it } from 'vitest';
import type { HallwayEvent } from '../../events/catalogue.ts';
import { credentialDecider } from '../../src/auth/credentials.ts';
import type { CredentialCommand } from '../../src/auth/credentials.ts';
import type { DomainError } from '../../src/domain/decider.ts';

const given = (events: HallwayEvent[]) => ({
  when: (c: CredentialCommand) => credentialDecider.decide(c, events.reduce(credentialDecider.evolve, credentialDecider.initialState())),
});
const hashA = 'a'.repeat(64);
const hashB = 'b'.repeat(64);
const invited: HallwayEvent = { type: 'InvitationIssued', data: { employeeId: 'emp-1', tokenHash: hashA, expiresAt: '2026-11-27T00:00:00.000Z' } };
const set: HallwayEvent = { type: 'PasswordSet', data: { employeeId: 'emp-1', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' } };
const accept = (tokenHash: string, now: string): CredentialCommand => ({ type: 'AcceptInvitation', data: set.data as { employeeId: string; passwordHash: string }, tokenHash, now });

describe('credentials', () => {
  it('given an open invitation, when its token is used in time, then the password is set', () => {
    expect(given([invited]).when(accept(hashA, '2026-11-26T00:00:00.000Z'))).toEqual([set]);
  });
  it('refuses a wrong token, an expired invitation, and a second use', () => {
    expect((given([invited]).when(accept(hashB, '2026-11-26T00:00:00.000Z')) as DomainError).error).toBe('invitation-invalid');
    expect((given([invited]).when(accept(hashA, '2026-11-27T00:00:00.000Z')) as DomainError).error).toBe('invitation-invalid');
    expect((given([invited, set]).when(accept(hashA, '2026-11-26T00:00:00.000Z')) as DomainError).error).toBe('invitation-invalid');
    expect((given([]).when(accept(hashA, '2026-11-26T00:00:00.000Z')) as DomainError).error).toBe('invitation-invalid');
  });
  it('a new invitation replaces the old one', () => {
    const again: HallwayEvent = { type: 'InvitationIssued', data: { employeeId: 'emp-1', tokenHash: hashB, expiresAt: '2026-12-01T00:00:00.000Z' } };
    expect((given([invited, again]).when(accept(hashA, '2026-11-26T00:00:00.000Z')) as DomainError).error).toBe('invitation-invalid');
    expect(given([invited, again]).when(accept(hashB, '2026-11-26T00:00:00.000Z'))).toEqual([set]);
  });
});

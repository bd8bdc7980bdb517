import { z } from 'zod';
import { defineEvent, Id, IsoInstant } from './common.ts';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

export const InvitationIssued = defineEvent({
  type: 'InvitationIssued',
  version: 1,
  schema: z.object({ employeeId: Id, tokenHash: Sha256Hex, expiresAt: IsoInstant }),
  stream: (d) => `credential-${d.employeeId}`,
});
export const PasswordSet = defineEvent({
  type: 'PasswordSet',
  version: 1,
  schema: z.object({ employeeId: Id, passwordHash: z.string().startsWith('$argon2id$', 'must be an argon2id PHC string') }),
  stream: (d) => `credential-${d.employeeId}`,
});

export const SESSION_END_REASONS = ['signed-out', 'expired', 'revoked'] as const;

export const SessionStarted = defineEvent({
  type: 'SessionStarted',
  version: 1,
  schema: z.object({ sessionId: Id, secretHash: Sha256Hex, employeeId: Id, expiresAt: IsoInstant }),
  stream: (d) => `session-${d.sessionId}`,
});
export const SessionExtended = defineEvent({
  type: 'SessionExtended',
  version: 1,
  schema: z.object({ sessionId: Id, expiresAt: IsoInstant }),
  stream: (d) => `session-${d.sessionId}`,
});
export const SessionEnded = defineEvent({
  type: 'SessionEnded',
  version: 1,
  schema: z.object({ sessionId: Id, reason: z.enum(SESSION_END_REASONS) }),
  stream: (d) => `session-${d.sessionId}`,
});

export const SIGN_IN_FAILURES = ['wrong-password', 'no-password', 'left', 'unknown-email'] as const;
/**
 * A sign-in was refused after the password was checked (not when the rate limits refused it
 * first). For the admins' audit trail. An address that belongs to nobody is recorded too, without
 * the address (so both cases cost the same and the page's timing does not tell them apart).
 */
export const SignInFailed = defineEvent({
  type: 'SignInFailed',
  version: 1,
  schema: z.object({ employeeId: Id.optional(), reason: z.enum(SIGN_IN_FAILURES) }),
  stream: (d) => (d.employeeId ? `signin-${d.employeeId}` : 'signin-unknown'),
});

export const authEvents = [InvitationIssued, PasswordSet, SessionStarted, SessionExtended, SessionEnded, SignInFailed] as const;

/** Streams that `hallway export` leaves out unless given --include-auth. */
export const isAuthStream = (stream: string): boolean =>
  stream.startsWith('credential-') || stream.startsWith('session-') || stream.startsWith('apitoken-') || stream.startsWith('signin-');

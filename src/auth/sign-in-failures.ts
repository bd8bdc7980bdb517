import type { SIGN_IN_FAILURES } from '../../events/auth.ts';
import { commit } from '../command.ts';
import type { CommandContext } from '../command.ts';

export type SignInFailure = (typeof SIGN_IN_FAILURES)[number];

/** Why a checked sign-in failed, from what was known about the address before the check. */
export function failureReason(employee: { leftAt: string | null } | undefined, hasPassword: boolean): SignInFailure {
  if (!employee) return 'unknown-email';
  if (employee.leftAt) return 'left';
  return hasPassword ? 'wrong-password' : 'no-password';
}

/**
 * Records a refused sign-in (SignInFailed) for the audit trail. Every checked failure is
 * recorded, known address or not, so the two cost the same work.
 */
export async function recordSignInFailure(ctx: CommandContext, employeeId: string | undefined, reason: SignInFailure): Promise<void> {
  const data = employeeId ? { employeeId, reason } : { reason };
  // the actor is unknown: a failed sign-in proves nobody's identity
  await commit(ctx, 'anonymous', [
    { stream: employeeId ? `signin-${employeeId}` : 'signin-unknown', events: [{ type: 'SignInFailed', data }], expectedRevision: 'any' },
  ]);
}

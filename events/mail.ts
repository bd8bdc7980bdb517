import { z } from 'zod';
import { defineEvent, Id } from './common.ts';

/**
 * Email (issue 14), added to EVENTS.md's list as new types (allowed by its rules). The outbox of
 * messages waiting to be sent is not in the log (src/mail/outbox.ts): only what a person or an
 * admin chose is.
 */

/** The kinds of email a person can turn off: "sent to you" notifications and the weekly digest. */
export const EmailKind = z.enum(['shared', 'digest']);
export type EmailKind = z.infer<typeof EmailKind>;

/**
 * A person turns one kind of email on or off, on their email settings page (actor: themself) or
 * with the signed unsubscribe link of an email (actor: themself, without signing in). Both kinds
 * are on until the first one.
 */
export const NotificationPreferenceChanged = defineEvent({
  type: 'NotificationPreferenceChanged',
  version: 1,
  schema: z.object({ employeeId: Id, kind: EmailKind, enabled: z.boolean() }),
  stream: (d) => `email-preferences-${d.employeeId}`,
});

/** An admin turns the weekly digest on or off for the whole archive; off until the first one. */
export const EmailSettingsChanged = defineEvent({
  type: 'EmailSettingsChanged',
  version: 1,
  schema: z.object({ weeklyDigest: z.boolean() }),
  stream: () => 'email-settings',
});

export const mailEvents = [NotificationPreferenceChanged, EmailSettingsChanged] as const;

import type { FailedMail, MailStatus } from '../../src/mail/outbox.ts';
import { formatInstant } from '../components/format.ts';
import { CopyField } from '../components/copy-field.tsx';

/**
 * The admin home's Email panel: whether email is set up, how many mails are waiting, sent and
 * failed, and every failed send with its reason (never lost silently): an invitation's link to pass
 * on by hand, and a button to try again.
 */
export interface EmailOverview {
  smtp: boolean;
  counts: Record<MailStatus, number>;
  failed: (FailedMail & { name: string })[];
}

const KIND: Record<FailedMail['kind'], string> = { invitation: 'Invitation', shared: 'Sent to you', digest: 'Weekly digest' };

export function EmailPanel({ email }: { email: EmailOverview }) {
  if (!email.smtp)
    return (
      <section class="email-panel" aria-labelledby="email-title">
        <h2 id="email-title">Email</h2>
        <p class="muted">Email is not set up (HALLWAY_SMTP_URL): invitation links are shown here to pass on, and nobody gets notifications or digests.</p>
      </section>
    );
  const c = email.counts;
  return (
    <section class="email-panel" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <p>
        {c.sent} sent · {c.queued + c.sending} waiting · <strong>{c.failed} failed</strong>
      </p>
      {email.failed.length > 0 ? (
        <ul class="email-failed">
          {email.failed.map((f) => (
            <li>
              <strong>{KIND[f.kind]}</strong> to <a href={`/admin/people/${encodeURIComponent(f.employeeId)}`}>{f.name}</a> ({f.to}): failed{' '}
              {formatInstant(new Date(f.failedAt))} after {f.attempts} {f.attempts === 1 ? 'attempt' : 'attempts'}. <span class="reason">{f.error}</span>
              {f.fallbackUrl ? <CopyField id={`failed-mail-${f.id}`} value={f.fallbackUrl} label={`Invitation link for ${f.name}`} /> : null}
              <form method="post" action={`/admin/email/${f.id}/retry`} class="inline-form">
                <button type="submit">Try again</button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

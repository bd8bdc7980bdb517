import type { EmailKind } from '../../events/mail.ts';

/**
 * A person's own email settings (/me/email): "sent to you" emails and the weekly digest, each on
 * or off. Whether email is set up at all, and whether the admins turned the digest on, is said
 * beside the choices, so nobody waits for an email that cannot come.
 */
export interface EmailSettingsProps {
  wants: Record<EmailKind, boolean>;
  email: string | null;
  smtp: boolean;
  digestOn: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}

const Choice = ({ name, on, legend, hint, onLabel, offLabel }: { name: EmailKind; on: boolean; legend: string; hint: string; onLabel: string; offLabel: string }) => (
  <fieldset>
    <legend>{legend}</legend>
    <p class="muted">{hint}</p>
    <label>
      <input type="radio" name={name} value="on" checked={on} /> {onLabel}
    </label>
    <label>
      <input type="radio" name={name} value="off" checked={!on} /> {offLabel}
    </label>
  </fieldset>
);

export function EmailSettingsPage({ wants, email, smtp, digestOn, notice, error }: EmailSettingsProps) {
  return (
    <section class="narrow">
      <h1>Your email</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <p class="muted">
        {!smtp
          ? 'This archive sends no email yet (its administrator has not set it up); your choices apply once it does.'
          : email
            ? `Emails go to ${email}.`
            : 'Hallway has no email address for you: ask an admin to add one.'}
      </p>
      <form method="post" action="/me/email" class="settings-form">
        <Choice
          name="shared"
          on={wants.shared}
          legend="When someone sends you a story"
          hint="An email naming the colleague and the story, at most one a day per story."
          onLabel="Email me"
          offLabel="Don't email me (it still shows under Sent to you on your home page)"
        />
        <Choice
          name="digest"
          on={wants.digest}
          legend="Weekly digest"
          hint={`On Mondays, the stories going around in your department and the company the week before.${digestOn ? '' : ' The admins have not turned the digest on yet.'}`}
          onLabel="Email me the digest"
          offLabel="No digest"
        />
        <button type="submit">Save</button>
      </form>
    </section>
  );
}

import { Field, FormError } from '../fragments/admin-fields.tsx';
import type { FieldErrors } from '../fragments/admin-fields.tsx';

/** An invited person chooses their password (then they are signed in). */
export function InvitationPage({ token, name, errors }: { token: string; name: string; errors?: FieldErrors }) {
  return (
    <section class="narrow">
      <h1>Welcome to Hallway, {name}</h1>
      <p>Choose a password to finish setting up your account.</p>
      <FormError errors={errors} />
      <form method="post" action={`/invitation/${token}`} hx-post={`/invitation/${token}`} hx-target="#main" hx-select="#main" hx-swap="outerHTML">
        <Field name="password" label="Password" type="password" errors={errors} autocomplete="new-password" hint="at least 12 characters, not a common password" />
        <Field name="confirm" label="The same password again" type="password" errors={errors} autocomplete="new-password" />
        <button type="submit">Set my password</button>
      </form>
    </section>
  );
}

export function InvitationInvalidPage() {
  return (
    <section class="narrow">
      <h1>This invitation link is not valid</h1>
      <p>It may have been used already or be more than seven days old. Ask an admin for a new one.</p>
      <p>
        <a href="/sign-in">Sign in</a>
      </p>
    </section>
  );
}

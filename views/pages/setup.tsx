import { Field, FormError } from '../fragments/admin-fields.tsx';
import type { FieldErrors } from '../fragments/admin-fields.tsx';

export interface SetupValues {
  name?: string;
  email?: string;
  departmentName?: string;
}

/**
 * First run: the form that creates the first admin (reachable only through the printed link).
 * `sso`: passwords are off, so the form asks for none; the admin signs in through that provider.
 */
export function SetupPage({ token, values = {}, errors, sso }: { token: string; values?: SetupValues; errors?: FieldErrors; sso?: { name: string } }) {
  return (
    <section class="narrow">
      <h1>Set up Hallway</h1>
      <p>No one can administer this archive yet. Create the first admin account: you, in your department.</p>
      {sso ? <p>Passwords are turned off: you will sign in with {sso.name}, so give the email address it knows you by.</p> : null}
      <FormError errors={errors} />
      <form method="post" action={`/setup/${token}`} hx-post={`/setup/${token}`} hx-target="#main" hx-select="#main" hx-swap="outerHTML">
        <Field name="name" label="Your name" value={values.name} errors={errors} autocomplete="name" />
        <Field name="email" label="Email" type="email" value={values.email} errors={errors} autocomplete="username" {...(sso ? { hint: `the address ${sso.name} has verified for you` } : {})} />
        <Field name="departmentName" label="Your department" value={values.departmentName} errors={errors} hint="for example “People & Culture”; you can add more later" />
        {sso ? null : <Field name="password" label="Password" type="password" errors={errors} autocomplete="new-password" hint="at least 12 characters, not a common password" />}
        <button type="submit">Create the admin account</button>
      </form>
    </section>
  );
}

export function SetupClosedPage({ gone }: { gone: boolean }) {
  return (
    <section class="narrow">
      <h1>{gone ? 'Hallway is already set up' : 'This setup link is not valid'}</h1>
      <p>
        {gone
          ? 'An admin exists, so this one-time link no longer works. Sign in, or ask an admin for an invitation.'
          : 'The link is wrong or more than an hour old. Restart Hallway to print a new one.'}
      </p>
      <p>
        <a href="/sign-in">Sign in</a>
      </p>
    </section>
  );
}

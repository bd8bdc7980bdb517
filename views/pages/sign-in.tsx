export interface SignInProps {
  email?: string;
  error?: string;
  next?: string;
  /** the password form (false when HALLWAY_PASSWORDS=off) */
  passwords?: boolean;
  /** single sign-on: the provider's name on the button */
  sso?: { name: string };
}

export function SignInPage({ email, error, next, passwords = true, sso }: SignInProps) {
  return (
    <section class="narrow">
      <h1>Sign in to Hallway</h1>
      {error ? (
        <p class="error" role="alert" id="sign-in-error">
          {error}
        </p>
      ) : null}
      {sso ? (
        // a link, not a form: the CSP's form-action 'self' would stop the redirect to the provider
        <p>
          <a class="button" id="sso" href={`/sign-in/sso${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
            Sign in with {sso.name}
          </a>
        </p>
      ) : null}
      {sso && passwords ? <p>Or with your email and password:</p> : null}
      {passwords ? (
        <form method="post" action="/sign-in">
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Sign in</button>
        </form>
      ) : null}
    </section>
  );
}

/** 429: too many failed attempts from this address or for this account (sent with Retry-After). */
export function TooManyAttemptsPage({ message }: { message: string }) {
  return (
    <section class="narrow">
      <h1>Too many attempts</h1>
      <p class="error" role="alert">
        {message}
      </p>
    </section>
  );
}

/** 403: a password route while HALLWAY_PASSWORDS=off. */
export function PasswordsOffPage({ sso }: { sso: { name: string } }) {
  return (
    <section class="narrow">
      <h1>Passwords are turned off</h1>
      <p class="error" role="alert">
        This Hallway does not use passwords: everyone signs in with {sso.name}.
      </p>
      <p>
        <a href="/sign-in">Sign in with {sso.name}</a>
      </p>
    </section>
  );
}

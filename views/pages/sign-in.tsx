export interface SignInProps {
  email?: string;
  error?: string;
  next?: string;
}

export function SignInPage({ email, error, next }: SignInProps) {
  return (
    <section class="narrow">
      <h1>Sign in to Hallway</h1>
      {error ? (
        <p class="error" role="alert" id="sign-in-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/sign-in">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
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

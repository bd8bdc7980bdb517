import type { SsoFailure } from '../../src/auth/oidc.ts';

/** The words of each refusal: what happened, and what the person can do. */
function explain(reason: SsoFailure | 'not-set-up', provider: string, detail?: string): { title: string; text: string } {
  switch (reason) {
    case 'not-set-up':
      return { title: 'Single sign-on is not set up', text: 'This Hallway is not connected to a company sign-in. Sign in with your email and password.' };
    case 'sso-no-flow':
      return { title: 'Start signing in again', text: `This sign-in was not started in this browser, or it took longer than 10 minutes. Nothing was signed in.` };
    case 'sso-bad-state':
      return { title: 'This sign-in does not match', text: `The answer from ${provider} does not belong to the sign-in this browser started (its state does not match). It may have been altered or sent from somewhere else. Nothing was signed in.` };
    case 'sso-provider-error':
      return { title: `${capital(provider)} did not sign you in`, text: `${capital(provider)} answered with an error${detail ? ` (${detail})` : ''}. Nothing was signed in.` };
    case 'sso-code-refused':
      return { title: 'This sign-in has already been used', text: `${capital(provider)} refused the sign-in code: it was already used, or it has expired. Nothing was signed in.` };
    case 'sso-wrong-issuer':
      return { title: `This answer is not from ${provider}`, text: `The sign-in answer came from a different provider (its issuer is not the one this Hallway is set up with). Nothing was signed in.` };
    case 'sso-token-invalid':
      return { title: 'The sign-in could not be verified', text: `The identity token from ${provider} failed a check: it was not issued for Hallway, has expired, or its signature or nonce does not match. Nothing was signed in.` };
    case 'sso-unverified-email':
      return { title: 'Your email address is not verified', text: `${capital(provider)} does not vouch for the email address of your account, so Hallway cannot tell which employee you are. Ask your IT team to verify the address.` };
    case 'sso-unknown-email':
      return { title: 'No Hallway account for this address', text: `You signed in as ${detail ?? 'an address'}, which belongs to no employee in Hallway. Signing in does not create an account: ask a Hallway admin to add you with this address.` };
    case 'sso-left':
      return { title: 'This account is closed', text: 'Hallway records the employee with this address as having left, so it cannot be used to sign in. If that is wrong, ask a Hallway admin.' };
    case 'sso-unavailable':
      return { title: `${capital(provider)} could not be reached`, text: `Hallway could not reach ${provider}, or could not understand its answer. Try again in a minute; if it keeps happening, tell your administrator.` };
  }
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Why signing in through the company's provider did not work (the status is set by the route). */
export const ssoRefusedTitle = (reason: SsoFailure | 'not-set-up', provider: string): string => explain(reason, provider).title;

export function SsoRefusedPage({ reason, provider, detail, passwords }: { reason: SsoFailure | 'not-set-up'; provider: string; detail?: string; passwords: boolean }) {
  const { title, text } = explain(reason, provider, detail);
  return (
    <section class="narrow">
      <h1>{title}</h1>
      <p class="error" role="alert" id="sso-refused">
        {text}
      </p>
      <p>
        <a href="/sign-in">{reason === 'not-set-up' || passwords ? 'Back to sign-in' : `Sign in with ${provider} again`}</a>
      </p>
    </section>
  );
}

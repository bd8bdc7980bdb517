import type { UnsubscribeKind } from '../../src/mail/unsubscribe.ts';

/** What an unsubscribe link turns off, in words. */
export const WHAT_STOPS: Record<UnsubscribeKind, string> = {
  shared: 'emails when someone sends you a story',
  digest: 'the weekly digest',
  all: 'every notification and digest email from Hallway',
};

/**
 * The page an unsubscribe link opens, without signing in. Opening the link changes nothing (mail
 * scanners open links); the button does, as does a mail client's one-click POST to the same URL.
 */
export function UnsubscribePage({ token, kind, done }: { token: string; kind: UnsubscribeKind; done: boolean }) {
  return (
    <section class="narrow">
      {done ? (
        <>
          <h1>Done</h1>
          <p role="status">You will get no more {WHAT_STOPS[kind]}.</p>
          <p>
            To turn emails back on, sign in and go to <a href="/me/email">your email settings</a>.
          </p>
        </>
      ) : (
        <>
          <h1>Stop these emails?</h1>
          <form method="post" action={`/unsubscribe/${token}`}>
            <p>Stop {WHAT_STOPS[kind]}.</p>
            <button type="submit">Stop them</button>
          </form>
        </>
      )}
    </section>
  );
}

export function UnsubscribeInvalidPage() {
  return (
    <section class="narrow">
      <h1>This unsubscribe link is not valid</h1>
      <p>
        It may have been changed or cut short. Sign in and choose which emails you get in <a href="/me/email">your email settings</a>.
      </p>
    </section>
  );
}

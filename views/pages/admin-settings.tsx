import { AdminShell } from '../fragments/admin-shell.tsx';

/** The archive's settings: today, review before publishing (off by default). */
export function SettingsPage({ reviewOn, waiting = 0, notice, digest }: { reviewOn: boolean; waiting?: number; notice?: string | undefined; digest?: { on: boolean; smtp: boolean } }) {
  return (
    <AdminShell heading="Settings" notice={notice}>
      <form method="post" action="/admin/settings" class="settings-form">
        <fieldset>
          <legend>Review before publishing</legend>
          <p class="muted">
            When it is on, a story told from now on waits for a curator's review: until a curator approves it, only its
            teller and curators see it. Stories told before the change are not affected.
          </p>
          {waiting > 0 ? (
            <p class="muted">
              {waiting === 1 ? '1 story is' : `${waiting} stories are`} waiting for review. Turning review off does not publish{' '}
              {waiting === 1 ? 'it' : 'them'}: curators approve or return {waiting === 1 ? 'it' : 'them'} in the <a href="/review">review queue</a>.
            </p>
          ) : null}
          <label>
            <input type="radio" name="reviewBeforePublishing" value="on" checked={reviewOn} /> On: curators review each new story
          </label>
          <label>
            <input type="radio" name="reviewBeforePublishing" value="off" checked={!reviewOn} /> Off: new stories are published at once
          </label>
        </fieldset>
        <button type="submit">Save</button>
      </form>
      {digest ? (
        <form method="post" action="/admin/settings/email" class="settings-form">
          <fieldset>
            <legend>Weekly digest</legend>
            <p class="muted">
              When it is on, every Monday each person with an email address gets the stories that went around in their department and the company
              the week before, unless they turned the digest off in their email settings.
              {digest.smtp ? '' : ' Email is not set up (HALLWAY_SMTP_URL), so nothing is sent until it is.'}
            </p>
            <label>
              <input type="radio" name="weeklyDigest" value="on" checked={digest.on} /> On: send the weekly digest
            </label>
            <label>
              <input type="radio" name="weeklyDigest" value="off" checked={!digest.on} /> Off: no digest
            </label>
          </fieldset>
          <button type="submit">Set the weekly digest</button>
        </form>
      ) : null}
    </AdminShell>
  );
}

import { AdminShell } from '../fragments/admin-shell.tsx';

/** The archive's settings: today, review before publishing (off by default). */
export function SettingsPage({ reviewOn, notice }: { reviewOn: boolean; notice?: string | undefined }) {
  return (
    <AdminShell heading="Settings" notice={notice}>
      <form method="post" action="/admin/settings" class="settings-form">
        <fieldset>
          <legend>Review before publishing</legend>
          <p class="muted">
            When it is on, a story told from now on waits for a curator's review: until a curator approves it, only its
            teller and curators see it. Stories told before the change are not affected.
          </p>
          <label>
            <input type="radio" name="reviewBeforePublishing" value="on" checked={reviewOn} /> On: curators review each new story
          </label>
          <label>
            <input type="radio" name="reviewBeforePublishing" value="off" checked={!reviewOn} /> Off: new stories are published at once
          </label>
        </fieldset>
        <button type="submit">Save</button>
      </form>
    </AdminShell>
  );
}

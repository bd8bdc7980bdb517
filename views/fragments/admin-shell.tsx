import type { Child } from 'hono/jsx';
import { formatInstant } from '../components/format.ts';
import { CopyField } from '../components/copy-field.tsx';

/** Attributes that make a plain form post also work through htmx, swapping the admin page in place. */
export const hxForm = (action: string) => ({
  method: 'post' as const,
  action,
  'hx-post': action,
  'hx-target': '#admin-page',
  'hx-swap': 'outerHTML',
});

/** The admin area's frame: its own navigation, and the element htmx swaps after each form. */
export function AdminShell({ heading, children, notice }: { heading: string; children?: Child; notice?: string | undefined }) {
  return (
    <div id="admin-page" class="admin">
      <nav class="admin-nav" aria-label="Administration">
        <a href="/admin">Overview</a>
        <a href="/admin/people">People</a>
        <a href="/admin/departments">Departments</a>
        <a href="/admin/import">Import CSV</a>
        <a href="/curation">Themes</a>
        <a href="/admin/audit">Audit</a>
        <a href="/admin/settings">Settings</a>
        <a href="/admin/api-tokens">API tokens</a>
      </nav>
      <h1>{heading}</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** An invitation link, shown once: only its hash is kept. */
export function InvitationLink({ url, name, expiresAt, emailed }: { url: string; name: string; expiresAt: Date; emailed?: boolean }) {
  // emailed (HALLWAY_SMTP_URL): the link went to the person only; a send that fails shows on /admin with it
  if (emailed)
    return (
      <div class="notice invitation-link" role="status">
        <p>
          An invitation email is on its way to <strong>{name}</strong>; its link works once, until {formatInstant(expiresAt)}. If it cannot be
          sent, the admin home page lists it under Email, with the link to pass on.
        </p>
      </div>
    );
  return (
    <div class="notice invitation-link" role="status">
      <p>
        Send this link to <strong>{name}</strong>. It works once, until {formatInstant(expiresAt)}, and is shown only
        now: Hallway keeps only its hash.
      </p>
      <p>
        <CopyField id="invitation-url" value={url} label={`Invitation link for ${name}`} />
      </p>
    </div>
  );
}

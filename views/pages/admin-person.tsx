import { ROLES } from '../../events/org.ts';
import type { Department, Employee } from '../../src/read/org.ts';
import type { AuditEntry } from '../../src/projections/audit.ts';
import type { FieldErrors } from '../fragments/admin-fields.tsx';
import { FormError } from '../fragments/admin-fields.tsx';
import { AdminShell, hxForm, InvitationLink } from '../fragments/admin-shell.tsx';
import { AuditTable } from './admin-audit.tsx';
import { DepartmentSelect } from './admin-people.tsx';
import { isErasureMarker } from '../../src/privacy/markers.ts';

export interface PersonProps {
  person: Employee;
  departments: Department[];
  openSessions: number;
  hasPassword: boolean;
  audit: AuditEntry[];
  notice?: string | undefined;
  invitation?: { url: string; name: string; expiresAt: Date; emailed?: boolean } | undefined;
  failed?: { form: 'transfer' | 'roles' | 'left' | 'sessions' | 'invitation' | 'erase'; values: Record<string, string>; errors: FieldErrors } | undefined;
}

export function PersonPage({ person: p, departments, openSessions, hasPassword, audit, notice, invitation, failed }: PersonProps) {
  const base = `/admin/people/${encodeURIComponent(p.employeeId)}`;
  const dept = departments.find((d) => d.departmentId === p.departmentId);
  const errorsFor = (form: NonNullable<PersonProps['failed']>['form']) => (failed?.form === form ? failed.errors : undefined);
  const current = !p.leftAt;
  // the org read model shows the marker for an erased person (and no email)
  const erased = isErasureMarker(p.name);
  return (
    <AdminShell heading={p.name} notice={notice}>
      {invitation ? <InvitationLink {...invitation} /> : null}
      {current ? <FormError errors={errorsFor('erase')} /> : null}
      <dl class="facts">
        <dt>Employee id</dt>
        <dd>
          <code>{p.employeeId}</code>
        </dd>
        <dt>Email</dt>
        <dd>{p.email ?? '—'}</dd>
        <dt>Department</dt>
        <dd>{dept?.name ?? '—'}</dd>
        <dt>Joined</dt>
        <dd>{p.joinedOn}</dd>
        <dt>Roles</dt>
        <dd>{p.roles.length ? p.roles.join(', ') : 'employee'}</dd>
        <dt>Status</dt>
        <dd>{p.leftAt ? `left on ${p.leftAt.slice(0, 10)} (their stories stay)` : hasPassword ? 'current, has a password' : 'current, invited'}</dd>
        <dt>Open sessions</dt>
        <dd>{openSessions}</dd>
      </dl>

      {current ? (
        <>
          <h2>Transfer</h2>
          <FormError errors={errorsFor('transfer')} />
          <form {...hxForm(`${base}/transfer`)}>
            <DepartmentSelect departments={departments} exclude={p.departmentId} value={failed?.form === 'transfer' ? failed.values['departmentId'] : ''} errors={errorsFor('transfer')} idPrefix="transfer-" label="New department" />
            <button type="submit">Transfer</button>
          </form>

          <h2>Roles</h2>
          <FormError errors={errorsFor('roles')} />
          {errorsFor('roles')?.['role'] ? (
            <p class="field-error" role="alert">
              Role {errorsFor('roles')?.['role']}
            </p>
          ) : null}
          <ul class="roles">
            {ROLES.map((role) => {
              const has = p.roles.includes(role);
              return (
                <li>
                  <form {...hxForm(`${base}/roles`)} class="inline-form">
                    <input type="hidden" name="role" value={role} />
                    <input type="hidden" name="action" value={has ? 'revoke' : 'grant'} />
                    <span>
                      {role}: {has ? 'yes' : 'no'}
                    </span>{' '}
                    <button type="submit" class="secondary">
                      {has ? `Revoke ${role}` : `Grant ${role}`}
                    </button>
                  </form>
                </li>
              );
            })}
          </ul>

          <h2>Access</h2>
          <form {...hxForm(`${base}/sessions/end`)} class="inline-form">
            <button type="submit" class="secondary">
              End every session of {p.name}
            </button>
          </form>{' '}
          <form {...hxForm(`${base}/invitation`)} class="inline-form">
            <button type="submit" class="secondary">
              {hasPassword ? 'Send a new invitation (to reset the password)' : 'Make a new invitation link'}
            </button>
          </form>
          <FormError errors={errorsFor('invitation')} />

          <h2>Leaving</h2>
          <FormError errors={errorsFor('left')} />
          {errorsFor('left')?.['employeeId'] ? (
            <p class="field-error" role="alert">
              {p.name} {errorsFor('left')?.['employeeId']}
            </p>
          ) : null}
          <form {...hxForm(`${base}/left`)}>
            <p class="muted">Their sessions end now and they can no longer sign in. The stories they told stay in the archive.</p>
            <button type="submit">Mark {p.name} as left</button>
          </form>
        </>
      ) : null}

      {!current ? (
        <>
          <h2>Erasure</h2>
          <FormError errors={errorsFor('erase')} />
          {erased ? (
            <p class="muted">Erased at their request: their key is destroyed, so their name, email and stories’ text can no longer be read.</p>
          ) : (
            <p>
              <span class="muted">If {p.name} asks, their name, email and the text of the stories they told can be erased for good. </span>
              <a href={`${base}/erase`}>Erase {p.name}…</a>
            </p>
          )}
        </>
      ) : null}

      <h2>Recent activity</h2>
      <AuditTable entries={audit} />
    </AdminShell>
  );
}

/** The confirm step before erasing: names the person and says what goes and what stays (docs/trust.md). */
export function EraseConfirm({ person: p }: { person: Employee }) {
  const base = `/admin/people/${encodeURIComponent(p.employeeId)}`;
  return (
    <AdminShell heading={`Erase ${p.name}?`}>
      <div class="confirm" role="group" aria-labelledby="erase-q">
        <h2 id="erase-q">
          Erase {p.name} ({p.employeeId})?
        </h2>
        {p.leftAt ? null : <p class="field-error">{p.name} is still employed: mark them as left first.</p>}
        <p>Their key is destroyed. From then on Hallway shows “a former colleague” for their name and “removed at its teller’s request” for the title, text and leader of every story they told, everywhere: pages, search, exports and CSV downloads, old copies of the log included.</p>
        <p>What stays: that their stories existed, when they were told, their themes and how far they travelled (the figures do not change), and stories other people told that mention them (a curator can retract those).</p>
        <p>This cannot be undone.</p>
        <form method="post" action={`${base}/erase`} class="actions">
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit">Yes, erase {p.name}</button>
          <a href={base}>No, keep them</a>
        </form>
      </div>
    </AdminShell>
  );
}

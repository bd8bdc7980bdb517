import { ROLES } from '../../events/org.ts';
import type { Department, Employee } from '../../src/read/org.ts';
import type { AuditEntry } from '../../src/projections/audit.ts';
import type { FieldErrors } from '../fragments/admin-fields.tsx';
import { FormError } from '../fragments/admin-fields.tsx';
import { AdminShell, hxForm, InvitationLink } from '../fragments/admin-shell.tsx';
import { AuditTable } from './admin-audit.tsx';
import { DepartmentSelect } from './admin-people.tsx';

export interface PersonProps {
  person: Employee;
  departments: Department[];
  openSessions: number;
  hasPassword: boolean;
  audit: AuditEntry[];
  notice?: string | undefined;
  invitation?: { url: string; name: string; expiresAt: Date } | undefined;
  failed?: { form: 'transfer' | 'roles' | 'left' | 'sessions' | 'invitation'; values: Record<string, string>; errors: FieldErrors } | undefined;
}

export function PersonPage({ person: p, departments, openSessions, hasPassword, audit, notice, invitation, failed }: PersonProps) {
  const base = `/admin/people/${encodeURIComponent(p.employeeId)}`;
  const dept = departments.find((d) => d.departmentId === p.departmentId);
  const errorsFor = (form: NonNullable<PersonProps['failed']>['form']) => (failed?.form === form ? failed.errors : undefined);
  const current = !p.leftAt;
  return (
    <AdminShell heading={p.name} notice={notice}>
      {invitation ? <InvitationLink {...invitation} /> : null}
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

      <h2>Recent activity</h2>
      <AuditTable entries={audit} />
    </AdminShell>
  );
}

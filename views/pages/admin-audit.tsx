import type { AuditEntry, AuditFilter, AuditGroup } from '../../src/projections/audit.ts';
import { AUDIT_GROUPS } from '../../src/projections/audit.ts';
import { AdminShell } from '../fragments/admin-shell.tsx';
import { TableScroll } from '../components/table-scroll.tsx';
import { When } from '../components/when.tsx';

const KIND: Record<string, string> = {
  'signed-in': 'signed in',
  'signed-out': 'signed out',
  'session-revoked': 'session ended by an admin (or on leaving)',
  'session-expired': 'session expired',
  'sign-in-failed': 'sign-in refused',
  'role-granted': 'role granted',
  'role-revoked': 'role revoked',
  joined: 'added',
  transferred: 'transferred',
  left: 'marked as left',
  invited: 'invitation issued',
  'password-set': 'password set',
  erased: 'erased at their request',
  'department-opened': 'department opened',
  'department-renamed': 'department renamed',
  'department-closed': 'department closed',
  'theme-defined': 'theme defined',
  'theme-described': 'theme described',
  'theme-retired': 'theme retired',
  exported: 'figures downloaded',
  'log-exported': 'whole log exported',
  'api-token-issued': 'API token issued',
  'api-token-revoked': 'API token revoked',
  'review-setting': 'review setting changed',
  'story-approved': 'story approved',
  'story-returned': 'story returned to its teller',
  'email-setting': 'email setting changed',
};

export const GROUP_LABEL: Record<AuditGroup, string> = {
  'sign-ins': 'Sign-ins and sessions',
  roles: 'Roles',
  people: 'People added, transferred, left, invited',
  departments: 'Departments',
  themes: 'Themes',
  exports: 'Downloads',
  'api-tokens': 'API tokens',
  review: 'Review before publishing',
  email: 'Email settings',
};

/** Who did it: a name where one is known, never a raw id. */
function by(e: AuditEntry): string {
  if (e.actor && e.actor === e.employeeId) return 'themselves';
  if (e.actorName) return e.actorName;
  if (e.actor === 'anonymous') return 'someone signing in';
  if (!e.actor || e.actor === 'system') return 'Hallway';
  // `hallway admin …` and `hallway export` record the shell's user as `cli:<os user>`
  if (e.actor.startsWith('cli:')) return `the command line (${e.actor.slice(4)})`;
  return 'someone no longer listed';
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p class="muted">Nothing yet.</p>;
  return (
    <TableScroll label="Audit trail">
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-kind={e.kind}>
              <td>
                <When at={e.at} />
              </td>
              <td>
                {KIND[e.kind] ?? e.kind}
                {e.detail ? `: ${e.detail}` : ''}
              </td>
              <td>{e.employeeId ? <a href={`/admin/people/${encodeURIComponent(e.employeeId)}`}>{e.employeeName ?? 'a person not in the directory'}</a> : '—'}</td>
              <td>{by(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export interface AuditPageProps {
  entries: AuditEntry[];
  /** the position to page on from, when there are older rows */
  next: number | null;
  /** this page is not the newest */
  paged: boolean;
  filter: AuditFilter;
  errors?: Record<string, string>;
}

/** The filter as a query string (paging links keep it). */
export function filterQuery(f: AuditFilter): string {
  const q = new URLSearchParams();
  if (f.group) q.set('action', f.group);
  if (f.person) q.set('person', f.person);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  return q.toString();
}

function DateField({ name, label, value, error }: { name: string; label: string; value: string | undefined; error: string | undefined }) {
  const id = `audit-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type="date" id={id} name={name} value={value ?? ''} {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})} />
      {error ? <span class="field-error" id={`${id}-error`}>{label} {error}</span> : null}
    </div>
  );
}

export function AuditPage({ entries, next, paged, filter, errors = {} }: AuditPageProps) {
  const q = filterQuery(filter);
  const filtered = q !== '';
  return (
    <AdminShell heading="Audit trail">
      <p class="muted">
        Every change of who can do what and of the organisation, refused sign-ins and downloads, newest first, from the events.
      </p>
      <form method="get" action="/admin/audit" class="audit-filter" aria-label="Filter the audit trail">
        <div class="field">
          <label for="audit-action">Action</label>
          <select id="audit-action" name="action">
            <option value="">Every action</option>
            {(Object.keys(AUDIT_GROUPS) as AuditGroup[]).map((g) => (
              <option value={g} selected={filter.group === g}>
                {GROUP_LABEL[g]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-person">Person</label>
          <input type="search" id="audit-person" name="person" value={filter.person ?? ''} placeholder="name, who it is about or who did it" />
        </div>
        <DateField name="from" label="From" value={filter.from} error={errors['from']} />
        <DateField name="to" label="To (included)" value={filter.to} error={errors['to']} />
        <button type="submit" class="secondary">
          Filter
        </button>
        {filtered ? <a href="/admin/audit">Clear the filter</a> : null}
      </form>
      {filtered && entries.length === 0 ? <p class="muted">Nothing matches this filter.</p> : <AuditTable entries={entries} />}
      <nav class="pager" aria-label="Audit pages">
        {paged ? <a href={`/admin/audit${q ? `?${q}` : ''}`}>Newest</a> : null}{' '}
        {next ? <a href={`/admin/audit?${q ? `${q}&` : ''}before=${next}`}>Older</a> : null}
      </nav>
    </AdminShell>
  );
}

import type { Employee, Department } from '../../src/read/org.ts';
import type { FieldErrors } from '../fragments/admin-fields.tsx';
import { Field, FieldError, FormError } from '../fragments/admin-fields.tsx';
import { AdminShell, hxForm, InvitationLink } from '../fragments/admin-shell.tsx';
import { TableScroll } from '../components/table-scroll.tsx';
import { formatDate, plural } from '../components/format.ts';
import { Avatar } from '../components/avatar.tsx';

export interface PeopleProps {
  people: Employee[];
  /** which page of the matching people this is */
  paging: { page: number; pages: number; total: number };
  departments: Department[];
  query: string;
  today: string;
  /** names this form: the same form sent again (a retry) adds the same person, not a second one */
  requestKey: string;
  notice?: string | undefined;
  invitation?: { url: string; name: string; expiresAt: Date; emailed?: boolean } | undefined;
  values?: Record<string, string> | undefined;
  errors?: FieldErrors | undefined;
}

export function DepartmentSelect({
  departments,
  value,
  errors,
  idPrefix = '',
  label = 'Department',
  exclude,
}: {
  departments: Department[];
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  idPrefix?: string;
  label?: string;
  /** a department not to offer (a transfer's current one) */
  exclude?: string;
}) {
  const id = `${idPrefix}departmentId`;
  const error = errors?.['departmentId'];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name="departmentId" required {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})}>
        <option value="">Choose…</option>
        {departments
          .filter((d) => d.open && d.departmentId !== exclude)
          .map((d) => (
            <option value={d.departmentId} selected={d.departmentId === value}>
              {d.name}
            </option>
          ))}
      </select>
      <FieldError id={id} label={label} error={error} />
    </div>
  );
}

export function PeoplePage({ people, paging, departments, query, today, requestKey, notice, invitation, values = {}, errors }: PeopleProps) {
  const deptName = new Map(departments.map((d) => [d.departmentId, d.name]));
  return (
    <AdminShell heading="People" notice={notice}>
      {invitation ? <InvitationLink {...invitation} /> : null}
      <form method="get" action="/admin/people" class="search" role="search">
        <label for="q">Find a person</label>
        <input id="q" name="q" type="search" value={query} placeholder="name, email or id" />
        <button type="submit" class="secondary">
          Find
        </button>
      </form>
      <p class="muted" id="people-count">
        {plural(paging.total, query ? 'person matches' : 'person', query ? 'people match' : 'people')}
        {paging.pages > 1 ? `; page ${paging.page} of ${paging.pages}` : ''}
      </p>
      <TableScroll label="People">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Department</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr>
              <td>
                <span class="person-cell">
                  <Avatar name={p.name} size="sm" />
                  <a href={`/admin/people/${encodeURIComponent(p.employeeId)}`}>{p.name}</a>
                </span>
              </td>
              <td>{p.email ?? ''}</td>
              <td>{deptName.get(p.departmentId) ?? '—'}</td>
              <td>{p.roles.join(', ')}</td>
              <td>{p.leftAt ? `left ${formatDate(p.leftAt)}` : 'current'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
      {people.length === 0 ? <p class="muted">No one matches.</p> : null}
      <PeoplePager query={query} paging={paging} />

      <h2 id="add">Add a person</h2>
      <p class="muted">They get an invitation link to choose their password; it is shown here once.</p>
      <FormError errors={errors} />
      <form {...hxForm('/admin/people')}>
        <input type="hidden" name="requestKey" value={values['requestKey'] ?? requestKey} />
        <Field name="name" idPrefix="add-" label="Name" value={values['name']} errors={errors} />
        <Field name="email" idPrefix="add-" label="Email" type="email" value={values['email']} errors={errors} />
        <DepartmentSelect departments={departments} value={values['departmentId']} errors={errors} idPrefix="add-" />
        <Field name="joinedOn" idPrefix="add-" label="Joining date" type="date" value={values['joinedOn'] ?? today} errors={errors} />
        <Field
          name="employeeId"
          idPrefix="add-"
          label="Employee id"
          required={false}
          value={values['employeeId']}
          errors={errors}
          hint="optional: the id your HR system uses; left blank, Hallway makes one"
        />
        <button type="submit">Add and invite</button>
      </form>
    </AdminShell>
  );
}

/** Previous and next pages of the people list, keeping the search. */
function PeoplePager({ query, paging }: { query: string; paging: PeopleProps['paging'] }) {
  if (paging.pages <= 1) return null;
  const href = (n: number): string => `/admin/people?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(n) }).toString()}`;
  return (
    <nav class="pager" aria-label="People pages">
      {paging.page > 1 ? <a href={href(paging.page - 1)} rel="prev">Previous page</a> : null}{' '}
      <span>
        Page {paging.page} of {paging.pages}
      </span>{' '}
      {paging.page < paging.pages ? <a href={href(paging.page + 1)} rel="next">Next page</a> : null}
    </nav>
  );
}

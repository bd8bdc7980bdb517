import type { Employee, Department } from '../../src/read/org.ts';
import type { FieldErrors } from '../fragments/admin-fields.tsx';
import { Field, FieldError, FormError } from '../fragments/admin-fields.tsx';
import { AdminShell, hxForm, InvitationLink } from '../fragments/admin-shell.tsx';

export interface PeopleProps {
  people: Employee[];
  /** how many more match than are shown */
  more?: number;
  departments: Department[];
  query: string;
  today: string;
  /** names this form: the same form sent again (a retry) adds the same person, not a second one */
  requestKey: string;
  notice?: string | undefined;
  invitation?: { url: string; name: string; expiresAt: Date } | undefined;
  values?: Record<string, string> | undefined;
  errors?: FieldErrors | undefined;
}

export function DepartmentSelect({ departments, value, errors, idPrefix = '', label = 'Department' }: { departments: Department[]; value?: string | undefined; errors?: FieldErrors | undefined; idPrefix?: string; label?: string }) {
  const id = `${idPrefix}departmentId`;
  const error = errors?.['departmentId'];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name="departmentId" required {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})}>
        <option value="">Choose…</option>
        {departments
          .filter((d) => d.open)
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

export function PeoplePage({ people, more = 0, departments, query, today, requestKey, notice, invitation, values = {}, errors }: PeopleProps) {
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
                <a href={`/admin/people/${encodeURIComponent(p.employeeId)}`}>{p.name}</a>
              </td>
              <td>{p.email ?? ''}</td>
              <td>{deptName.get(p.departmentId) ?? p.departmentId}</td>
              <td>{p.roles.join(', ')}</td>
              <td>{p.leftAt ? `left ${p.leftAt.slice(0, 10)}` : 'current'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {people.length === 0 ? <p class="muted">No one matches.</p> : null}
      {more > 0 ? <p class="muted">{more} more match; search by name, email or id to find them.</p> : null}

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

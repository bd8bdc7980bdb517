import type { FieldErrors } from '../fragments/admin-fields.tsx';
import { Field, FormError } from '../fragments/admin-fields.tsx';
import { AdminShell, hxForm } from '../fragments/admin-shell.tsx';
import { TableScroll } from '../components/table-scroll.tsx';

export interface DepartmentRow {
  departmentId: string;
  name: string;
  open: boolean;
  members: number;
}

export interface DepartmentsProps {
  departments: DepartmentRow[];
  notice?: string | undefined;
  /** the form that failed, its values and messages */
  failed?: { form: 'open' | `rename:${string}` | `close:${string}`; values: Record<string, string>; errors: FieldErrors } | undefined;
}

export function DepartmentsPage({ departments, notice, failed }: DepartmentsProps) {
  const openErrors = failed?.form === 'open' ? failed.errors : undefined;
  return (
    <AdminShell heading="Departments" notice={notice}>
      <TableScroll label="Departments">
      <table>
        <thead>
          <tr>
            <th scope="col">Department</th>
            <th scope="col">Id (for CSV files)</th>
            <th scope="col">People</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {departments.map((d) => {
            const renameErrors = failed?.form === `rename:${d.departmentId}` ? failed.errors : undefined;
            const closeErrors = failed?.form === `close:${d.departmentId}` ? failed.errors : undefined;
            const base = `/admin/departments/${encodeURIComponent(d.departmentId)}`;
            return (
              <tr id={`dept-${d.departmentId}`} class={d.open ? '' : 'closed'}>
                <td>
                  {d.name}
                  {d.open ? null : <span class="muted"> (closed)</span>}
                </td>
                <td>
                  <code>{d.departmentId}</code>
                </td>
                <td>{d.members}</td>
                <td>
                  {d.open ? (
                    <div class="row-forms">
                      <form {...hxForm(`${base}/rename`)} class="inline-form">
                        <Field
                          name="name"
                          idPrefix={`rename-${d.departmentId}-`}
                          label={`New name for ${d.name}`}
                          value={renameErrors ? failed?.values['name'] : d.name}
                          errors={renameErrors}
                        />
                        <button type="submit" class="secondary">
                          Rename
                        </button>
                      </form>
                      <form {...hxForm(`${base}/close`)} class="inline-form">
                        <button type="submit" class="secondary">
                          Close {d.name}
                        </button>
                        {closeErrors?.['departmentId'] ? (
                          <span class="field-error" role="alert">
                            {d.name} {closeErrors['departmentId']}
                          </span>
                        ) : null}
                      </form>
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </TableScroll>

      <h2 id="open">Open a department</h2>
      <FormError errors={openErrors} />
      <form {...hxForm('/admin/departments')}>
        <Field name="name" idPrefix="open-" label="Name" value={openErrors ? failed?.values['name'] : ''} errors={openErrors} />
        <Field
          name="departmentId"
          idPrefix="open-"
          label="Id"
          required={false}
          value={openErrors ? failed?.values['departmentId'] : ''}
          errors={openErrors}
          hint="optional: the id your HR system uses (letters, digits, - and _); left blank, Hallway makes one"
        />
        <button type="submit">Open the department</button>
      </form>
    </AdminShell>
  );
}

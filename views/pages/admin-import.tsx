import { AdminShell } from '../fragments/admin-shell.tsx';
import { TableScroll } from '../components/table-scroll.tsx';
import { plural } from '../components/format.ts';
import { formatInstant } from '../components/format.ts';
import { CopyField } from '../components/copy-field.tsx';

export interface ImportProps {
  csv?: string;
  error?: { line: number; reason: string } | undefined;
  imported?: { count: number; invitations: { name: string; url: string; emailed?: boolean }[]; expiresAt: Date } | undefined;
}

export function ImportPage({ csv = '', error, imported }: ImportProps) {
  return (
    <AdminShell heading="Import people from CSV" notice={imported ? `Imported ${plural(imported.count, 'person', 'people')}.` : undefined}>
      {imported ? (
        <div class="notice invitation-link" role="status">
          <p>
            Their invitation links, each working once until {formatInstant(imported.expiresAt)}. They are shown only now:
            Hallway keeps only their hashes.
          </p>
          <TableScroll label="Invitation links">
          <table>
            <tbody>
              {imported.invitations.map((i, n) => (
                <tr>
                  <td>{i.name}</td>
                  <td>
                    {i.emailed ? (
                      'Emailed to them (a send that fails shows on the admin home page, with the link)'
                    ) : (
                      <CopyField id={`invitation-url-${n}`} value={i.url} label={`Invitation link for ${i.name}`} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
        </div>
      ) : null}
      <p>
        The first line must be exactly <code>employeeId,name,email,departmentId,joinedOn</code>; dates are YYYY-MM-DD and departments must be open. The
        file is checked as a whole: if any line is wrong, nobody is added.
      </p>
      <form method="post" action="/admin/import" enctype="multipart/form-data" hx-post="/admin/import" hx-target="#admin-page" hx-swap="outerHTML">
        <label for="file">CSV file</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv" />
        <label for="csv">or paste the CSV</label>
        <textarea id="csv" name="csv" {...(error ? { 'aria-invalid': 'true', 'aria-describedby': 'csv-error' } : {})}>
          {csv}
        </textarea>
        {error ? (
          <span class="field-error" id="csv-error" role="alert">
            Line {error.line}: {error.reason}. Nothing was imported.
          </span>
        ) : null}
        <button type="submit">Import</button>
      </form>
    </AdminShell>
  );
}

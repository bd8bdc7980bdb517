import { AdminShell } from '../fragments/admin-shell.tsx';

export interface AdminOverview {
  people: number;
  left: number;
  departments: number;
  closedDepartments: number;
  admins: number;
  openSessions: number;
}

export function AdminHomePage({ o }: { o: AdminOverview }) {
  return (
    <AdminShell heading="Administration">
      <ul class="admin-figures">
        <li>
          <a href="/admin/people">{o.people} current employees</a> ({o.left} have left)
        </li>
        <li>
          <a href="/admin/departments">{o.departments} open departments</a> ({o.closedDepartments} closed)
        </li>
        <li>{o.admins} admins</li>
        <li>{o.openSessions} open sessions</li>
      </ul>
      <p>
        <a href="/admin/people#add">Add a person</a> · <a href="/admin/import">Import many from a CSV file</a> · <a href="/admin/audit">Audit trail</a>
      </p>
    </AdminShell>
  );
}

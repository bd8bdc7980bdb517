import { AdminShell } from '../fragments/admin-shell.tsx';
import { plural } from '../components/format.ts';
import { FirstRunChecklist } from '../fragments/first-run-checklist.tsx';
import type { FirstRunState } from '../fragments/first-run-checklist.tsx';

export interface AdminOverview {
  people: number;
  left: number;
  departments: number;
  closedDepartments: number;
  admins: number;
  openSessions: number;
}

export function AdminHomePage({ o, firstRun }: { o: AdminOverview; firstRun: FirstRunState }) {
  return (
    <AdminShell heading="Administration">
      <FirstRunChecklist state={firstRun} />
      <ul class="admin-figures">
        <li>
          <a href="/admin/people">{plural(o.people, 'current employee', 'current employees')}</a> ({o.left} {o.left === 1 ? 'has' : 'have'} left)
        </li>
        <li>
          <a href="/admin/departments">{plural(o.departments, 'open department', 'open departments')}</a> ({o.closedDepartments} closed)
        </li>
        <li>{plural(o.admins, 'admin', 'admins')}</li>
        <li>{plural(o.openSessions, 'open session', 'open sessions')}</li>
      </ul>
      <p>
        <a href="/admin/people#add">Add a person</a> · <a href="/admin/import">Import many from a CSV file</a> · <a href="/admin/audit">Audit trail</a>
      </p>
    </AdminShell>
  );
}

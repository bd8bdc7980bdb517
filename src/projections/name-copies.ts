import type { ProjectedEvent, Views } from './runtime.ts';
import { FORMER_COLLEAGUE } from '../privacy/markers.ts';

/**
 * A read model's own copy of people's and departments' names (`{prefix}_people`,
 * `{prefix}_departments`), so its queries never read another area's tables. Stories and search
 * keep one each, kept the same way.
 */
export function nameCopyStatements(db: Views, prefix: 'story' | 'search') {
  return {
    erase: db.prepare(`UPDATE ${prefix}_people SET name = ? WHERE employee_id = ?`),
    person: db.prepare(`INSERT INTO ${prefix}_people (employee_id, name) VALUES (?, ?) ON CONFLICT(employee_id) DO UPDATE SET name = excluded.name`),
    department: db.prepare(
      `INSERT INTO ${prefix}_departments (department_id, name, open) VALUES (?, ?, 1) ON CONFLICT(department_id) DO UPDATE SET name = excluded.name, open = 1`,
    ),
    renameDepartment: db.prepare(`UPDATE ${prefix}_departments SET name = ? WHERE department_id = ?`),
    closeDepartment: db.prepare(`UPDATE ${prefix}_departments SET open = 0 WHERE department_id = ?`),
  };
}

/** Applies a name event to the copy; false when the event is not about names. */
export function applyNameCopy(q: ReturnType<typeof nameCopyStatements>, e: ProjectedEvent): boolean {
  switch (e.type) {
    case 'DepartmentOpened':
      q.department.run(e.data.departmentId, e.data.name);
      return true;
    case 'DepartmentRenamed':
      q.renameDepartment.run(e.data.name, e.data.departmentId);
      return true;
    case 'DepartmentClosed':
      q.closeDepartment.run(e.data.departmentId);
      return true;
    case 'EmployeeJoined':
      q.person.run(e.data.employeeId, e.data.name);
      return true;
    case 'PersonErased':
      // the copy reads as a rebuild would once the key is gone (the caller may rewrite its own rows too)
      q.erase.run(FORMER_COLLEAGUE, e.data.employeeId);
      return false;
    default:
      return false;
  }
}

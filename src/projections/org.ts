import { preparedPer } from './prepared.ts';
import { FORMER_COLLEAGUE } from '../privacy/markers.ts';
import type { Projection, Views } from './runtime.ts';

const stmts = preparedPer((db: Views) => ({
  openDept: db.prepare(
    'INSERT INTO org_departments (department_id, name, open, opened_at) VALUES (?, ?, 1, ?) ON CONFLICT(department_id) DO UPDATE SET name = excluded.name, open = 1',
  ),
  renameDept: db.prepare('UPDATE org_departments SET name = ? WHERE department_id = ?'),
  closeDept: db.prepare('UPDATE org_departments SET open = 0 WHERE department_id = ?'),
  join: db.prepare(
    `INSERT INTO org_employees (employee_id, name, email, department_id, joined_on, joined_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(employee_id) DO UPDATE SET name = excluded.name, email = excluded.email, department_id = excluded.department_id, joined_on = excluded.joined_on, left_at = NULL`,
  ),
  transfer: db.prepare('UPDATE org_employees SET department_id = ? WHERE employee_id = ?'),
  roles: db.prepare<[string], { roles: string }>('SELECT roles FROM org_employees WHERE employee_id = ?'),
  setRoles: db.prepare('UPDATE org_employees SET roles = ? WHERE employee_id = ?'),
  leave: db.prepare('UPDATE org_employees SET left_at = ? WHERE employee_id = ?'),
  // what a rebuild gives once the key is gone: the marker, and no email
  erase: db.prepare('UPDATE org_employees SET name = ?, email = NULL WHERE employee_id = ?'),
}));

/** Departments and employees as they are now (roles, department, whether they have left). */
export const orgProjection: Projection = {
  name: 'org',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS org_departments (
        department_id TEXT PRIMARY KEY, name TEXT NOT NULL, open INTEGER NOT NULL, opened_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS org_employees (
        employee_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, department_id TEXT NOT NULL,
        joined_on TEXT NOT NULL, joined_at TEXT NOT NULL, left_at TEXT, roles TEXT NOT NULL DEFAULT '');
      CREATE INDEX IF NOT EXISTS org_employees_email ON org_employees (email);
      CREATE INDEX IF NOT EXISTS org_employees_dept ON org_employees (department_id);
    `);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS org_departments; DROP TABLE IF EXISTS org_employees;');
    stmts.forget(db);
  },
  apply(db, e) {
    const q = stmts(db);
    switch (e.type) {
      case 'DepartmentOpened':
        q.openDept.run(e.data.departmentId, e.data.name, e.metadata.at);
        break;
      case 'DepartmentRenamed':
        q.renameDept.run(e.data.name, e.data.departmentId);
        break;
      case 'DepartmentClosed':
        q.closeDept.run(e.data.departmentId);
        break;
      case 'EmployeeJoined':
        q.join.run(e.data.employeeId, e.data.name, e.data.email?.toLowerCase() ?? null, e.data.departmentId, e.data.joinedOn, e.metadata.at);
        break;
      case 'EmployeeTransferred':
        q.transfer.run(e.data.departmentId, e.data.employeeId);
        break;
      case 'EmployeeRoleGranted':
      case 'EmployeeRoleRevoked': {
        const row = q.roles.get(e.data.employeeId);
        if (!row) break;
        const roles = new Set(row.roles ? row.roles.split(',') : []);
        if (e.type === 'EmployeeRoleGranted') roles.add(e.data.role);
        else roles.delete(e.data.role);
        q.setRoles.run([...roles].sort().join(','), e.data.employeeId);
        break;
      }
      case 'EmployeeLeft':
        q.leave.run(e.metadata.at, e.data.employeeId);
        break;
      case 'PersonErased':
        q.erase.run(FORMER_COLLEAGUE, e.data.employeeId);
        break;
      default:
        break;
    }
  },
};

import type { Projection } from './runtime.ts';

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
  },
  apply(db, e) {
    switch (e.type) {
      case 'DepartmentOpened':
        db.prepare('INSERT INTO org_departments (department_id, name, open, opened_at) VALUES (?, ?, 1, ?) ON CONFLICT(department_id) DO UPDATE SET name = excluded.name, open = 1')
          .run(e.data.departmentId, e.data.name, e.metadata.at);
        break;
      case 'DepartmentRenamed':
        db.prepare('UPDATE org_departments SET name = ? WHERE department_id = ?').run(e.data.name, e.data.departmentId);
        break;
      case 'DepartmentClosed':
        db.prepare('UPDATE org_departments SET open = 0 WHERE department_id = ?').run(e.data.departmentId);
        break;
      case 'EmployeeJoined':
        db.prepare(
          `INSERT INTO org_employees (employee_id, name, email, department_id, joined_on, joined_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(employee_id) DO UPDATE SET name = excluded.name, email = excluded.email, department_id = excluded.department_id, joined_on = excluded.joined_on, left_at = NULL`,
        ).run(e.data.employeeId, e.data.name, e.data.email?.toLowerCase() ?? null, e.data.departmentId, e.data.joinedOn, e.metadata.at);
        break;
      case 'EmployeeTransferred':
        db.prepare('UPDATE org_employees SET department_id = ? WHERE employee_id = ?').run(e.data.departmentId, e.data.employeeId);
        break;
      case 'EmployeeRoleGranted':
      case 'EmployeeRoleRevoked': {
        const row = db.prepare<[string], { roles: string }>('SELECT roles FROM org_employees WHERE employee_id = ?').get(e.data.employeeId);
        if (!row) break;
        const roles = new Set(row.roles ? row.roles.split(',') : []);
        if (e.type === 'EmployeeRoleGranted') roles.add(e.data.role);
        else roles.delete(e.data.role);
        db.prepare('UPDATE org_employees SET roles = ? WHERE employee_id = ?').run([...roles].sort().join(','), e.data.employeeId);
        break;
      }
      case 'EmployeeLeft':
        db.prepare('UPDATE org_employees SET left_at = ? WHERE employee_id = ?').run(e.metadata.at, e.data.employeeId);
        break;
      default:
        break;
    }
  },
};

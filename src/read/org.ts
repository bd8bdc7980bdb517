import type { Role } from '../../events/org.ts';
import type { Views } from '../projections/runtime.ts';
import { preparedPer } from '../projections/prepared.ts';

export interface Employee {
  employeeId: string;
  name: string;
  email: string | null;
  departmentId: string;
  joinedOn: string;
  leftAt: string | null;
  roles: Role[];
}

export interface Department {
  departmentId: string;
  name: string;
  open: boolean;
}

interface EmployeeRow {
  employee_id: string;
  name: string;
  email: string | null;
  department_id: string;
  joined_on: string;
  left_at: string | null;
  roles: string;
}

const toEmployee = (r: EmployeeRow): Employee => ({
  employeeId: r.employee_id,
  name: r.name,
  email: r.email,
  departmentId: r.department_id,
  joinedOn: r.joined_on,
  leftAt: r.left_at,
  roles: (r.roles ? r.roles.split(',') : []) as Role[],
});

/** Read-side queries over the org projection (statements prepared once per database). */
export const orgQueries = preparedPer(build);

function build(db: Views) {
  const byId = db.prepare<[string], EmployeeRow>('SELECT * FROM org_employees WHERE employee_id = ?');
  const byEmail = db.prepare<[string], EmployeeRow>('SELECT * FROM org_employees WHERE email = ? ORDER BY left_at IS NOT NULL, joined_at DESC LIMIT 1');
  const employees = db.prepare<[], EmployeeRow>('SELECT * FROM org_employees ORDER BY name COLLATE NOCASE');
  const depts = db.prepare<[], { department_id: string; name: string; open: number }>('SELECT department_id, name, open FROM org_departments ORDER BY name COLLATE NOCASE');
  const dept = db.prepare<[string], { department_id: string; name: string; open: number }>('SELECT department_id, name, open FROM org_departments WHERE department_id = ?');
  const admins = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM org_employees WHERE left_at IS NULL AND (',' || roles || ',') LIKE '%,admin,%'");
  const otherAdmins = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM org_employees WHERE left_at IS NULL AND employee_id <> ? AND (',' || roles || ',') LIKE '%,admin,%'",
  );
  const members = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM org_employees WHERE left_at IS NULL AND department_id = ?');
  return {
    employee: (id: string): Employee | undefined => {
      const r = byId.get(id);
      return r && toEmployee(r);
    },
    employeeByEmail: (email: string): Employee | undefined => {
      const r = byEmail.get(email.trim().toLowerCase());
      return r && toEmployee(r);
    },
    employees: (): Employee[] => employees.all().map(toEmployee),
    departments: (): Department[] => depts.all().map((d) => ({ departmentId: d.department_id, name: d.name, open: d.open === 1 })),
    department: (id: string): Department | undefined => {
      const d = dept.get(id);
      return d && { departmentId: d.department_id, name: d.name, open: d.open === 1 };
    },
    adminCount: (): number => admins.get()?.n ?? 0,
    /** current admins other than this person (the last admin may not be removed) */
    otherAdmins: (employeeId: string): number => otherAdmins.get(employeeId)?.n ?? 0,
    /** current employees in a department (a department with people may not close) */
    currentMembers: (departmentId: string): number => members.get(departmentId)?.n ?? 0,
  };
}

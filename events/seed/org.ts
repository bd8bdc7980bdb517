import { emailHash } from '../../src/domain/org.ts';
import { nameUuid } from '../../src/ids.ts';
import type { SeedEmployee, SeedLine, SeedOrg } from './seed-types.ts';
import { prng } from './seed-types.ts';

/**
 * The demo organisation: a fictional telecoms and network-services company. Ten departments with
 * fixed ids (the demo stories refer to them), 120 employees emp-001…emp-120 with invented names,
 * joining dates over 2016–2026, a few new hires in the 60 days before 2026-11-20, a few transfers,
 * two who left, and the roles the demo accounts need. Deterministic: fixed seed, fixed times.
 */

export const DEMO_DEPARTMENTS = [
  { departmentId: 'dept-noc', name: 'Network Operations Centre', size: 18 },
  { departmentId: 'dept-repair', name: 'Field Repair', size: 16 },
  { departmentId: 'dept-sales', name: 'Sales', size: 14 },
  { departmentId: 'dept-finance', name: 'Finance', size: 10 },
  { departmentId: 'dept-eng', name: 'Engineering', size: 18 },
  { departmentId: 'dept-care', name: 'Customer Care', size: 18 },
  { departmentId: 'dept-people', name: 'People & Culture', size: 7 },
  { departmentId: 'dept-product', name: 'Product', size: 9 },
  // small on purpose: below the minimum group size, so leadership figures fold it
  { departmentId: 'dept-legal', name: 'Legal', size: 4 },
  { departmentId: 'dept-exec', name: 'Executive Office', size: 6 },
] as const;

/** The employee `hallway demo` gives a password, per demo role (printed in this order). */
export const DEMO_ACCOUNTS = {
  admin: 'emp-096',
  curator: 'emp-095',
  leader: 'emp-001',
  employee: 'emp-004',
  'new-hire': 'emp-018',
} as const;

/** The demo's "today": new hires joined in the 60 days before it. */
export const DEMO_TODAY = '2026-11-20';

const FIRST = [
  'Amara', 'Bastian', 'Celine', 'Dario', 'Elif', 'Farid', 'Greta', 'Hamid', 'Ingrid', 'Jonas', 'Kaia', 'Lucan', 'Mireille', 'Nikhil',
  'Oona', 'Pavel', 'Quinn', 'Rosalind', 'Soren', 'Talia', 'Umar', 'Vesna', 'Wendell', 'Ximena', 'Yusuf', 'Zofia', 'Anselm', 'Bronwen',
  'Caspian', 'Delphine', 'Emeka', 'Fenna', 'Gideon', 'Hollis', 'Isolde', 'Jarrah', 'Keziah', 'Leopold', 'Maren', 'Nadim', 'Orla', 'Piers',
];
const LAST = [
  'Abernathy', 'Brightwater', 'Castellan', 'Dunmore', 'Eskildsen', 'Fairweather', 'Galloway', 'Halvorsen', 'Ironside', 'Jovanovic',
  'Kettering', 'Lindqvist', 'Marchetti', 'Northcott', 'Okonkwo', 'Pellegrini', 'Quarrie', 'Rasmussen', 'Sorensen', 'Thackeray',
  'Underhill', 'Valdivia', 'Whitlock', 'Yarrow', 'Zielinski', 'Ashdown', 'Blackwood', 'Coverdale', 'Delacroix', 'Ellingham',
];

/** A fixed, UUID-shaped event id (EventStoreDB wants UUIDs), so re-importing the file is a no-op. */
export function seedId(key: string): string {
  return nameUuid(`hallway-demo:${key}`);
}

/**
 * The leaders the demo stories name are people here: each department's first members (who
 * founded it in 2016, so they joined before any story about them is told) carry those names, so
 * the stories can link their leader to a person (StorySubmitted.leaderId). The random draw for
 * them still happens, so everyone else keeps the name and email they had.
 */
export const DEMO_LEADERS: Record<string, string> = {
  'dept-exec:0': 'Marta Ilves',
  'dept-exec:1': 'Rosa Lindqvist',
  'dept-finance:0': 'Tomasz Weber',
  'dept-noc:0': 'Priya Nandakumar',
  'dept-noc:1': 'Dana Whitfield',
  'dept-repair:0': 'Joe Barros',
  'dept-sales:0': 'Helen Achterberg',
  'dept-sales:1': 'Amir Haddad',
  'dept-eng:0': 'Kwame Asante',
  'dept-care:0': 'Sofie Brandt',
  'dept-care:1': 'Mateo Ruiz',
  'dept-people:0': 'Lena Park',
  'dept-legal:0': 'Ines Carvalho',
  'dept-product:0': 'Ravi Menon',
};

const pad = (n: number): string => String(n).padStart(3, '0');
const dayMs = 24 * 3600_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const laterOf = (a: string, b: string): string => (a > b ? a : b);

/** Transfers: who moved where, and when (never into Legal, which stays at four). */
const TRANSFERS: { employeeId: string; to: string; on: string }[] = [
  { employeeId: 'emp-087', to: 'dept-noc', on: '2021-06-01' }, // "NOC engineer, formerly customer care"
  { employeeId: 'emp-040', to: 'dept-product', on: '2023-02-13' },
  { employeeId: 'emp-024', to: 'dept-eng', on: '2024-09-02' },
  { employeeId: 'emp-062', to: 'dept-finance', on: '2025-04-07' },
];
const LEAVERS: { employeeId: string; on: string }[] = [
  { employeeId: 'emp-028', on: '2023-08-31' },
  { employeeId: 'emp-085', on: '2025-01-31' },
];
const ROLES: { employeeId: string; role: 'curator' | 'leader' | 'admin' }[] = [
  { employeeId: 'emp-001', role: 'leader' }, // head of the NOC
  { employeeId: 'emp-019', role: 'leader' }, // head of field repair
  { employeeId: 'emp-115', role: 'leader' }, // chief executive
  { employeeId: 'emp-095', role: 'curator' }, // People & Culture
  { employeeId: 'emp-077', role: 'curator' }, // Customer Care
  { employeeId: 'emp-096', role: 'admin' }, // People & Culture
];

export function seedOrg(): SeedOrg {
  const rand = prng(20161104);
  const lines: SeedLine[] = [];
  const opened = Date.parse('2016-01-04T08:00:00Z');
  const departments = DEMO_DEPARTMENTS.map((d, i) => {
    const at = new Date(opened + i * 60_000).toISOString();
    lines.push({ id: seedId(`open:${d.departmentId}`), type: 'DepartmentOpened', data: { departmentId: d.departmentId, name: d.name }, metadata: { at, actor: 'system' } });
    return { departmentId: d.departmentId, name: d.name, openedAt: at };
  });

  // joining dates: each department's first two members founded it in 2016; the rest spread over
  // 2016-03 … 2026-08; the last member of the six largest departments is a recent hire
  const start = Date.parse('2016-03-01T00:00:00Z');
  const spreadEnd = Date.parse('2026-08-31T00:00:00Z');
  const recentFrom = Date.parse('2026-09-24T00:00:00Z');
  const usedNames = new Set<string>();
  const usedEmails = new Set<string>();
  const employees: SeedEmployee[] = [];
  let n = 0;
  for (const d of DEMO_DEPARTMENTS) {
    for (let k = 0; k < d.size; k++) {
      n += 1;
      const employeeId = `emp-${pad(n)}`;
      let name = '';
      do {
        name = `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`;
      } while (usedNames.has(name));
      usedNames.add(name);
      name = DEMO_LEADERS[`${d.departmentId}:${k}`] ?? name;
      const [first, last] = name.toLowerCase().split(' ') as [string, string];
      let email = `${first}.${last}@demo.hallway.example`;
      if (usedEmails.has(email)) email = `${first}.${last}${n}@demo.hallway.example`;
      usedEmails.add(email);
      let joinedMs: number;
      const recent = k === d.size - 1 && d.size >= 14;
      if (k < 2) joinedMs = Date.parse('2016-01-11T00:00:00Z') + Math.floor(rand() * 50) * dayMs;
      else if (recent) joinedMs = recentFrom + Math.floor(rand() * 50) * dayMs;
      else joinedMs = start + Math.floor(rand() * ((spreadEnd - start) / dayMs)) * dayMs;
      const joinedOn = isoDay(joinedMs);
      employees.push({ employeeId, name, email, joinedOn, departments: [{ from: `${joinedOn}T08:30:00.000Z`, departmentId: d.departmentId }], roles: [] });
    }
  }
  for (const e of employees) {
    const at = e.departments[0]!.from;
    // the email's claim comes first, as when an admin adds a person
    lines.push({ id: seedId(`claim:${e.employeeId}`), type: 'EmailClaimed', data: { emailHash: emailHash(e.email), employeeId: e.employeeId }, metadata: { at, actor: 'system' } });
    lines.push({
      id: seedId(`join:${e.employeeId}`),
      type: 'EmployeeJoined',
      data: { employeeId: e.employeeId, name: e.name, email: e.email, departmentId: e.departments[0]!.departmentId, joinedOn: e.joinedOn },
      metadata: { at, actor: 'system' },
    });
  }
  for (const t of TRANSFERS) {
    const e = employees.find((x) => x.employeeId === t.employeeId)!;
    // at the listed date, or half a year after joining if they joined later than that
    const at = `${laterOf(t.on, isoDay(Date.parse(e.joinedOn) + 182 * dayMs))}T09:00:00.000Z`;
    e.departments.push({ from: at, departmentId: t.to });
    lines.push({ id: seedId(`transfer:${t.employeeId}`), type: 'EmployeeTransferred', data: { employeeId: t.employeeId, departmentId: t.to }, metadata: { at, actor: 'system' } });
  }
  for (const r of ROLES) {
    const employeeId = r.employeeId;
    const e = employees.find((x) => x.employeeId === employeeId)!;
    e.roles.push(r.role);
    const at = `${isoDay(Date.parse(e.joinedOn) + 14 * dayMs)}T09:30:00.000Z`;
    lines.push({ id: seedId(`grant:${employeeId}:${r.role}`), type: 'EmployeeRoleGranted', data: { employeeId, role: r.role }, metadata: { at, actor: 'system' } });
  }
  for (const l of LEAVERS) {
    const e = employees.find((x) => x.employeeId === l.employeeId)!;
    const at = `${laterOf(l.on, isoDay(Date.parse(e.departments[e.departments.length - 1]!.from) + 365 * dayMs))}T17:00:00.000Z`;
    if (at >= DEMO_TODAY || e.roles.length > 0) throw new Error(`demo org: ${l.employeeId} cannot leave (${at})`);
    e.leftAt = at;
    lines.push({ id: seedId(`left:${l.employeeId}`), type: 'EmployeeLeft', data: { employeeId: l.employeeId }, metadata: { at, actor: 'system' } });
  }
  lines.sort((a, b) => a.metadata.at.localeCompare(b.metadata.at));
  return { lines, departments, employees };
}

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseEvent, parseMetadata } from '../../events/catalogue.ts';
import { DEMO_ACCOUNTS, DEMO_TODAY, seedOrg } from '../../events/seed/org.ts';

const DAY = 24 * 3600_000;

describe('the demo organisation', () => {
  const org = seedOrg();
  const current = org.employees.filter((e) => !e.leftAt);
  const deptNow = (e: (typeof org.employees)[number]) => e.departments[e.departments.length - 1]!.departmentId;

  it('has exactly the ten departments the demo stories refer to', () => {
    expect(org.departments.map((d) => [d.departmentId, d.name])).toEqual([
      ['dept-noc', 'Network Operations Centre'],
      ['dept-repair', 'Field Repair'],
      ['dept-sales', 'Sales'],
      ['dept-finance', 'Finance'],
      ['dept-eng', 'Engineering'],
      ['dept-care', 'Customer Care'],
      ['dept-people', 'People & Culture'],
      ['dept-product', 'Product'],
      ['dept-legal', 'Legal'],
      ['dept-exec', 'Executive Office'],
    ]);
  });

  it('has 120 employees emp-001…emp-120 with unique demo emails, Legal kept at four', () => {
    expect(org.employees.map((e) => e.employeeId)).toEqual(Array.from({ length: 120 }, (_, i) => `emp-${String(i + 1).padStart(3, '0')}`));
    expect(new Set(org.employees.map((e) => e.email)).size).toBe(120);
    for (const e of org.employees) expect(e.email).toMatch(/@demo\.hallway\.example$/);
    expect(current.filter((e) => deptNow(e) === 'dept-legal')).toHaveLength(4);
  });

  it('spreads joining dates over 2016–2026 with a few new hires in the last 60 days', () => {
    const years = new Set(org.employees.map((e) => e.joinedOn.slice(0, 4)));
    for (let y = 2016; y <= 2026; y++) expect(years.has(String(y)), String(y)).toBe(true);
    const recent = org.employees.filter((e) => Date.parse(DEMO_TODAY) - Date.parse(e.joinedOn) <= 60 * DAY && e.joinedOn <= DEMO_TODAY);
    expect(recent.length).toBeGreaterThanOrEqual(3);
    expect(recent.length).toBeLessThanOrEqual(8);
  });

  it('has a few transfers, one or two leavers, and the roles the demo needs', () => {
    const moved = org.employees.filter((e) => e.departments.length > 1).length;
    expect(moved).toBeGreaterThanOrEqual(2);
    const left = org.employees.filter((e) => e.leftAt).length;
    expect(left).toBeGreaterThanOrEqual(1);
    expect(left).toBeLessThanOrEqual(2);
    const count = (role: string) => current.filter((e) => e.roles.includes(role as 'admin')).length;
    expect(count('admin')).toBeGreaterThanOrEqual(1);
    expect(count('curator')).toBeGreaterThanOrEqual(2);
    expect(count('leader')).toBeGreaterThanOrEqual(3);
    const byId = new Map(org.employees.map((e) => [e.employeeId, e]));
    expect(byId.get(DEMO_ACCOUNTS.admin)!.roles).toContain('admin');
    expect(byId.get(DEMO_ACCOUNTS.curator)!.roles).toContain('curator');
    expect(byId.get(DEMO_ACCOUNTS.leader)!.roles).toContain('leader');
    expect(byId.get(DEMO_ACCOUNTS.employee)!.roles).toEqual([]);
    expect(byId.get(DEMO_ACCOUNTS['new-hire'])!.roles).toEqual([]);
    expect(Date.parse(DEMO_TODAY) - Date.parse(byId.get(DEMO_ACCOUNTS['new-hire'])!.joinedOn)).toBeLessThanOrEqual(60 * DAY);
  });

  it('is deterministic, and every line is a valid event', () => {
    expect(JSON.stringify(seedOrg().lines)).toBe(JSON.stringify(org.lines));
    for (const l of org.lines) {
      expect(parseMetadata(l.metadata).ok).toBe(true);
      expect(parseEvent(l.type, l.data).ok, JSON.stringify(l)).toBe(true);
    }
    expect(new Set(org.lines.map((l) => l.id)).size).toBe(org.lines.length);
  });

  it('demo.jsonl holds the organisation as generated (regenerate with npx tsx events/seed/generate.ts)', () => {
    const file = readFileSync(new URL('../../events/seed/demo.jsonl', import.meta.url), 'utf8');
    const ids = new Set(file.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
    for (const l of org.lines) expect(ids.has(l.id), l.type).toBe(true);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/app.ts';
import { openHallway } from '../../src/services.ts';
import { orgQueries } from '../../src/read/org.ts';
import { tempDir } from '../helpers.ts';
import { runCli } from './run-cli.ts';

describe('hallway demo', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  let stdout = '';

  it('loads the demo company into an empty archive and prints exactly one ROLE EMAIL PASSWORD line per role', async () => {
    const r = await runCli(['demo'], tmp.dir);
    expect(r.code, r.stderr).toBe(0);
    stdout = r.stdout;
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['admin', 'curator', 'leader', 'employee', 'new-hire']);
    for (const l of lines) expect(l).toMatch(/^[a-z-]+ [a-z0-9.]+@demo\.hallway\.example [a-z2-9-]{29}$/);
    expect(new Set(lines.map((l) => l.split(' ')[2])).size).toBe(5);
  });

  it('the printed accounts sign in, with the roles they are named for', async () => {
    const hallway = await openHallway(loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000' }), { log: () => {} });
    try {
      const app = createApp(hallway);
      const q = orgQueries(hallway.runtime.db);
      expect(q.departments()).toHaveLength(10);
      expect(q.employees()).toHaveLength(120);
      for (const line of stdout.trimEnd().split('\n')) {
        const [role, email, password] = line.split(' ') as [string, string, string];
        const res = await app.request('/sign-in', {
          method: 'POST',
          body: new URLSearchParams({ email, password }).toString(),
          headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(res.status, line).toBe(303);
        const e = q.employeeByEmail(email)!;
        if (role === 'employee' || role === 'new-hire') expect(e.roles).toEqual([]);
        else expect(e.roles).toContain(role);
        if (role === 'new-hire') expect(Date.parse('2026-11-20') - Date.parse(e.joinedOn)).toBeLessThanOrEqual(60 * 24 * 3600_000);
      }
    } finally {
      await hallway.close();
    }
  });

  it('refuses an archive that is not empty, with a clear message and nothing appended', async () => {
    const r = await runCli(['demo'], tmp.dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('is not empty');
    const hallway = await openHallway(loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000' }), { log: () => {} });
    try {
      // five PasswordSet events from the first run, none from this one
      const log = await hallway.store.readAll({ limit: 1_000_000 });
      expect(log.filter((e) => e.type === 'PasswordSet')).toHaveLength(5);
    } finally {
      await hallway.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preparedDuring, testHallway } from '../helpers.ts';
import { cookieFor } from '../auth-helpers.ts';
import { importFile } from '../../src/importer.ts';
import { DEMO_ACCOUNTS, DEMO_TODAY } from '../../events/seed/org.ts';

const demoFile = fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url));

/** Pages a signed-in person reads, by the account that reads them. */
const PAGES: [path: string, as: keyof typeof DEMO_ACCOUNTS][] = [
  ['/', 'new-hire'],
  ['/', 'employee'],
  ['/timelines', 'employee'],
  ['/themes', 'employee'],
  ['/search?q=customer', 'employee'],
  ['/dashboard', 'leader'],
  ['/dashboard?window=all', 'leader'],
  ['/dashboard/stories/story-open-house', 'leader'],
  ['/api/stories/story-open-house/spread', 'leader'],
];

describe('the read path over the demo archive', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date(`${DEMO_TODAY}T12:00:00.000Z`) });
    await importFile(h, demoFile);
    await h.runtime.waitFor(await h.store.headPosition());
    for (const [role, id] of Object.entries(DEMO_ACCOUNTS)) cookies[role] = await cookieFor(h, id);
  });
  afterAll(async () => h.dispose());

  const get = async (path: string, as: keyof typeof DEMO_ACCOUNTS): Promise<number> => {
    const res = await h.app.request(path, { headers: { Cookie: cookies[as]! } });
    await res.text();
    return res.status;
  };

  it('answers GETs without writing to views.db (no caches filled on the request path)', async () => {
    const changes = h.runtime.db.prepare<[], number>('SELECT total_changes()').pluck();
    const before = changes.get();
    for (const [path, as] of PAGES) expect(await get(path, as), path).toBe(200);
    expect(changes.get()).toBe(before);
  });

  it('prepares no statement per request once each page has been served', async () => {
    for (const [path, as] of PAGES) await get(path, as);
    await get('/stories/story-open-house', 'employee');
    const db = h.runtime.db;
    const prepared = await preparedDuring(db, async () => {
      for (const [path, as] of PAGES) await get(path, as);
      await get('/stories/story-open-house', 'employee');
      await get('/stories/story-open-house', 'curator');
    });
    expect(prepared).toEqual([]);
  });

  it("prepares no statement for the admin's pages and sign-in, nor in the org, auth, token and audit projections per event", async () => {
    const db = h.runtime.db;
    const admin = cookies['admin']!;
    const post = async (path: string, fields: Record<string, string>, cookie = admin): Promise<number> => {
      const res = await h.app.request(path, {
        method: 'POST',
        body: new URLSearchParams(fields).toString(),
        headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      await res.text();
      return res.status;
    };
    // each round: pages, a refused sign-in, a person added (joined, email claimed, invited) and a role granted and revoked
    const round = async (n: number): Promise<void> => {
      for (const path of ['/admin', '/admin/people', `/admin/people/${DEMO_ACCOUNTS.employee}`, '/admin/audit', '/admin/audit?group=people&person=marta']) {
        const res = await h.app.request(path, { headers: { Cookie: admin } });
        await res.text();
        expect(res.status, path).toBe(200);
      }
      expect(await post('/sign-in', { email: `nobody-${n}@example.test`, password: 'not a password at all' }, '')).toBe(401);
      const id = `emp-prep-${n}`;
      expect(await post('/admin/people', { employeeId: id, name: `Prepared Person ${n}`, email: `prep-${n}@example.test`, departmentId: 'dept-noc', joinedOn: '2024-01-02' })).toBe(200);
      expect(await post(`/admin/people/${id}/roles`, { role: 'curator', action: 'grant' })).toBe(303);
      expect(await post(`/admin/people/${id}/roles`, { role: 'curator', action: 'revoke' })).toBe(303);
      await h.runtime.waitFor(await h.store.headPosition());
    };
    await round(1);
    const prepared = await preparedDuring(db, () => round(2));
    expect(prepared).toEqual([]);
  });
});

describe('each read model reads only its own tables', () => {
  const source = (file: string): string => readFileSync(fileURLToPath(new URL(`../../src/${file}`, import.meta.url)), 'utf8');
  // SQLite's own table-valued functions (json_each over a list of ids, pragma_*) belong to no read model
  const builtIn = /^(json_each|json_tree|pragma_[a-z_]+)$/;
  const tables = (text: string): string[] =>
    [...new Set([...text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)/g)].map((m) => m[1]!))].filter((t) => !builtIn.test(t)).sort();

  it('read/stories.ts: story_ and theme_ tables only (names come from its own copies)', () => {
    const t = tables(source('read/stories.ts'));
    expect(t.length).toBeGreaterThan(3);
    expect(t.filter((x) => !/^(story|theme)_/.test(x))).toEqual([]);
  });

  it('read/spread.ts: spread_ tables only', () => {
    const t = tables(source('read/spread.ts'));
    expect(t.length).toBeGreaterThan(3);
    expect(t.filter((x) => !/^spread_/.test(x))).toEqual([]);
  });

  it('read/reading.ts: reading_ tables only (its own copies of names and titles)', () => {
    const t = tables(source('read/reading.ts'));
    expect(t.length).toBeGreaterThan(3);
    expect(t.filter((x) => !/^reading_/.test(x))).toEqual([]);
  });

  it('the audit trail, auth and org read their own tables only (the audit trail keeps its own copy of names)', () => {
    const audit = tables(source('projections/audit.ts'));
    expect(audit.length).toBeGreaterThan(3);
    expect(audit.filter((x) => !x.startsWith('audit_'))).toEqual([]);
    expect(tables(source('read/auth.ts')).filter((x) => !/^(auth_|api_tokens$)/.test(x))).toEqual([]);
    expect(tables(source('read/org.ts')).filter((x) => !x.startsWith('org_'))).toEqual([]);
  });

  it('routes and services hold no SQL: every query lives in a projection or a read module', () => {
    const dirs = ['http', 'auth', 'circulation', 'cli'];
    for (const dir of dirs) {
      for (const f of readdirSync(fileURLToPath(new URL(`../../src/${dir}`, import.meta.url)))) {
        expect(source(`${dir}/${f}`), `src/${dir}/${f}`).not.toMatch(/\.prepare\(|\.exec\(\s*['"`]/);
      }
    }
  });

  it('views query nothing: no fragment or page reaches the database', () => {
    const files = ['circulation-panel.tsx', 'shared-with-me.tsx'].map((f) => readFileSync(fileURLToPath(new URL(`../../views/fragments/${f}`, import.meta.url)), 'utf8'));
    for (const text of files) {
      expect(text).not.toMatch(/\.prepare\(|runtime\.db|AppContext/);
    }
  });
});

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway, tempDir } from '../helpers.ts';
import { formHeaders, signedIn } from '../auth-helpers.ts';
import { importLines } from '../../src/importer.ts';
import { exportEvents } from '../../src/cli/export.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { openHallway } from '../../src/services.ts';
import { createApp } from '../../src/http/app.ts';
import { loadConfig } from '../../src/config.ts';
import { FORMER_COLLEAGUE, REMOVED_TEXT } from '../../src/privacy/markers.ts';
import { openKeyFile } from '../../src/privacy/keys.ts';

/*
 * Erasure (docs/trust.md, issue 13) through the real app: sealed fields never in clear in events.db,
 * the admin's confirm step, refusal while employed, the markers everywhere, none of the person's
 * words in any file or export afterwards (a copy of events.db taken before included), spread
 * figures unchanged, a rebuild and an export -> import giving the same pages.
 */

// distinctive words, so a raw byte search cannot match anything else
const NAME = 'Zebulon Quixoteworth';
const EMAIL = 'zebulon.quixoteworth@example.test';
const TITLE1 = 'Marmalade Heliotrope Incident';
const BODY1 = 'Gravelwick xylophonic procedures at the quarterly offsite';
const LEADER1 = 'Gideon Vexcalibur';
const AMENDED = 'Quetzalcoatl amendment paragraph about the offsite';
const TITLE2 = 'Periwinkle Obfuscation Summit';
const BODY2 = 'Bramblethorn saga of the moving deadlines';
const LEADER2 = 'Honoria Plumtree';
const WORDS = [NAME, EMAIL, TITLE1, BODY1, LEADER1, AMENDED, TITLE2, BODY2, LEADER2];
/** the same words as an index or a lower-casing copy would hold them */
const TOKENS = ['Quixoteworth', 'quixoteworth', 'Heliotrope', 'heliotrop', 'Gravelwick', 'gravelwick', 'xylophonic', 'Vexcalibur', 'vexcalibur', 'Quetzalcoatl', 'quetzalcoatl', 'Periwinkle', 'periwinkl', 'Bramblethorn', 'bramblethorn', 'Plumtree', 'plumtree'];

const T = 'emp-zq';
const clock = () => new Date('2025-06-01T12:00:00.000Z');
const at = (n: number): string => new Date(Date.UTC(2025, 4, 1, 9, n)).toISOString();

/** the words (and tokens) found in these bytes */
const found = (bytes: Buffer): string[] => [...WORDS, ...TOKENS].filter((w) => bytes.indexOf(Buffer.from(w, 'utf8')) >= 0);
const fileWords = (file: string): string[] => (existsSync(file) ? found(readFileSync(file)) : []);

describe('erasure', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  const before = tempDir('hallway-before-');
  const copies: { remove(): void }[] = [before];
  const get = (path: string) => h.app.request(path, { headers: { Cookie: admin.cookie } });
  const text = async (path: string): Promise<string> => {
    const r = await get(path);
    expect(r.status, path).toBe(200);
    return r.text();
  };
  const post = (path: string, fields: Record<string, string>) =>
    h.app.request(path, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: formHeaders(admin.cookie) });
  const figures = async () => ({
    s1: await (await get('/api/stories/s-zq-1/spread')).json(),
    s2: await (await get('/api/stories/s-zq-2/spread')).json(),
    other: await (await get('/api/stories/s-l1/spread')).json(),
  });
  /** the pages a rebuild or a round trip must give again, as an admin (also leader and curator) sees them */
  const PAGES = ['/stories/s-zq-1', '/stories/s-zq-2', '/stories/s-l1', '/search?q=removed', '/search?q=Standup', `/admin/people/${T}`, '/leaders', '/timelines', '/dashboard/export.csv?table=stories&window=all', `/api/stories/s-zq-1/spread`];
  const pages = async (): Promise<Record<string, string>> => {
    // a story page queues the viewer's read: visit twice, so the second visit sees the first's read
    for (const p of PAGES) await text(p);
    await flushReads(h);
    await h.runtime.waitFor(await h.store.headPosition());
    const out: Record<string, string> = {};
    for (const p of PAGES) out[p] = await text(p);
    return out;
  };
  let afterErasure: Record<string, string>;

  beforeAll(async () => {
    h = await testHallway({ clock });
    admin = await signedIn(h, { roles: ['admin', 'leader', 'curator'], departmentId: 'dept-ops', name: 'Ada Admin', employeeId: 'emp-admin' });
    const line = (n: number, type: string, data: object, actor = 'system') => JSON.stringify({ type, data, metadata: { at: at(n), actor } });
    const joined = (n: number, employeeId: string, name: string, email?: string) =>
      line(n, 'EmployeeJoined', { employeeId, name, ...(email ? { email } : {}), departmentId: 'dept-ops', joinedOn: '2020-01-01' });
    const story = (n: number, storyId: string, tellerId: string, title: string, body: string, leader: string) =>
      line(n, 'StorySubmitted', { storyId, title, body, tellerId, leader, happenedIn: 'dept-ops', occurredOn: '2025-04', themes: ['th-care'], relation: 'witnessed', anonymous: false }, tellerId);
    await importLines(h.store, [
      line(1, 'DepartmentOpened', { departmentId: 'dept-eng', name: 'Engineering' }),
      joined(2, T, NAME, EMAIL),
      joined(3, 'emp-l1', 'Lena Listener'),
      joined(4, 'emp-l2', 'Lou Listener'),
      line(5, 'ThemeDefined', { themeId: 'th-care', name: 'Care', description: 'Looking after people' }),
      story(6, 's-zq-1', T, TITLE1, BODY1, LEADER1),
      story(7, 's-zq-2', T, TITLE2, BODY2, LEADER2),
      story(8, 's-l1', 'emp-l1', 'Ordinary Tuesday Standup', 'Nothing unusual happened at the standup', 'Ada Admin'),
      line(9, 'StoryAmended', { storyId: 's-zq-1', body: AMENDED, reason: 'a clearer account' }, T),
      line(10, 'StoryShared', { storyId: 's-zq-1', fromId: T, toId: 'emp-l1' }, T),
      line(11, 'StoryHeard', { storyId: 's-zq-1', listenerId: 'emp-l2', fromId: 'emp-l1', setting: 'conversation' }, 'emp-l2'),
      line(12, 'StoryRead', { storyId: 's-zq-2', readerId: 'emp-l1' }, 'emp-l1'),
      line(13, 'StoryHeard', { storyId: 's-l1', listenerId: T, setting: 'meeting' }, T),
    ]);
    await h.runtime.waitFor(await h.store.headPosition());
  });
  afterAll(async () => {
    await h.dispose();
    for (const c of copies) c.remove();
  });

  it('keeps the sealed fields out of events.db in clear, and reads them back plain above the sealing layer', async () => {
    const events = join(h.dir, 'events.db');
    expect(fileWords(events)).toEqual([]);
    expect(fileWords(`${events}-wal`)).toEqual([]);
    const [submitted, amended] = await h.store.readStream('story-s-zq-1');
    expect(submitted!.data).toMatchObject({ title: TITLE1, body: BODY1, leader: LEADER1, tellerId: T });
    expect(amended!.data).toEqual({ storyId: 's-zq-1', body: AMENDED, reason: 'a clearer account' });
    expect(await text('/stories/s-zq-1')).toContain('Marmalade Heliotrope Incident');
    // the read models do hold them until the erasure (so the searches below can find what is left)
    expect([...fileWords(join(h.dir, 'views.db')), ...fileWords(join(h.dir, 'views.db-wal'))]).toContain(TITLE1);
    // the copy an attacker (or an old backup) would hold
    for (const f of ['events.db', 'events.db-wal']) if (existsSync(join(h.dir, f))) copyFileSync(join(h.dir, f), join(before.dir, f));
  });

  it('refuses to erase someone still employed: 422 with the reason, and nothing is appended', async () => {
    const head = await h.store.headPosition();
    const r = await post(`/admin/people/${T}/erase`, { confirm: 'yes' });
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('this person is still employed: erasure follows leaving, so mark them as left first');
    expect(await h.store.headPosition()).toBe(head);
  });

  it('asks first: the confirm step names the person and what stays; a post without confirm=yes erases nothing', async () => {
    const page = await text(`/admin/people/${T}/erase`);
    expect(page).toContain(`Erase ${NAME} (${T})?`);
    expect(page).toContain('This cannot be undone.');
    expect(page).toContain('the figures do not change');
    const head = await h.store.headPosition();
    const r = await post(`/admin/people/${T}/erase`, {});
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(`Yes, erase ${NAME}`);
    expect(await h.store.headPosition()).toBe(head);
  });

  it('after leaving, erases: the markers on every page and in search, the spread figures exactly as they were', async () => {
    expect((await post(`/admin/people/${T}/left`, {})).status).toBe(303);
    await flushReads(h);
    const figuresBefore = await figures();
    expect(await text('/dashboard/export.csv?table=stories&window=all')).toContain(TITLE1);
    const personPage = await text(`/admin/people/${T}`);
    expect(personPage).toContain(`Erase ${NAME}…`);

    const r = await post(`/admin/people/${T}/erase`, { confirm: 'yes' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/admin/people/${T}?done=erased`);
    expect((await h.store.readStream(`employee-${T}`)).map((e) => e.type)).toEqual(['EmployeeJoined', 'EmployeeLeft', 'PersonErased']);

    const person = await text(`/admin/people/${T}?done=erased`);
    expect(person).toContain(FORMER_COLLEAGUE);
    expect(person).toContain('Erased at their request');
    const story = await text('/stories/s-zq-1');
    expect(story).toContain(REMOVED_TEXT.replace("'", '&#39;'));
    const other = await text('/stories/s-l1');
    expect(other).toContain('Ordinary Tuesday Standup');
    for (const q of ['Heliotrope', 'Gravelwick', 'Quetzalcoatl', 'Vexcalibur', 'Quixoteworth', 'Bramblethorn']) {
      const results = await text(`/search?q=${q}`);
      expect(results, q).not.toContain('s-zq-');
    }
    expect(await text('/search?q=removed')).toContain('/stories/s-zq-1');
    for (const p of ['/stories/s-zq-1', '/stories/s-zq-2', '/stories/s-l1', `/admin/people/${T}`, '/leaders', '/timelines', '/admin/audit', '/dashboard', '/search?q=offsite']) {
      expect(found(Buffer.from(await text(p))), p).toEqual([]);
    }
    expect(await figures()).toEqual(figuresBefore);
    // erasing again changes nothing
    const head = await h.store.headPosition();
    expect((await post(`/admin/people/${T}/erase`, { confirm: 'yes' })).status).toBe(303);
    expect(await h.store.headPosition()).toBe(head);
    afterErasure = await pages();
  });

  it('leaves none of their words in events.db, a copy of it taken before, views.db and its WAL, keys.db, an export or the CSV', async () => {
    const exported: string[] = [];
    await exportEvents(h.store, async (c) => void exported.push(c), { includeAuth: true });
    const lines = exported.join('').trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    expect(lines.find((l) => l.type === 'StorySubmitted' && l.data['storyId'] === 's-zq-1')?.data).toMatchObject({ title: REMOVED_TEXT, body: REMOVED_TEXT, leader: REMOVED_TEXT });
    expect(lines.find((l) => l.type === 'EmployeeJoined' && l.data['employeeId'] === T)?.data).toEqual({ employeeId: T, name: FORMER_COLLEAGUE, departmentId: 'dept-ops', joinedOn: '2020-01-01' });
    expect(lines.some((l) => l.type === 'PersonErased' && l.data['employeeId'] === T)).toBe(true);
    expect(found(Buffer.from(exported.join('')))).toEqual([]);
    const csv = await text('/dashboard/export.csv?table=stories&window=all');
    expect(csv).toContain(REMOVED_TEXT);
    expect(found(Buffer.from(csv))).toEqual([]);

    for (const f of ['events.db', 'events.db-wal', 'views.db', 'views.db-wal', 'keys.db', 'keys.db-journal']) expect(fileWords(join(h.dir, f)), f).toEqual([]);
    // the copy from before the erasure: ciphertext whose key is gone
    for (const f of ['events.db', 'events.db-wal']) expect(fileWords(join(before.dir, f)), `${f} (copied before)`).toEqual([]);
    expect(statSync(join(h.dir, 'keys.db')).mode & 0o777).toBe(0o600);
    const keys = openKeyFile(join(h.dir, 'keys.db'));
    try {
      expect(await keys.forgotten(T)).toBe(true);
      expect(await keys.open(T)).toBeNull();
      expect(await keys.forgotten('emp-l1')).toBe(false);
    } finally {
      await keys.close();
    }
  });

  it('gives the same pages after a rebuild of the read models', async () => {
    await h.close();
    for (const f of ['views.db', 'views.db-wal', 'views.db-shm']) rmSync(join(h.dir, f), { force: true });
    const reopened = await openHallway(loadConfig({ HALLWAY_DATA_DIR: h.dir, PORT: '3000' }), { clock, log: () => {} });
    const dir = h.dir;
    h = { ...reopened, app: createApp(reopened), dir, dispose: async () => { await reopened.close(); rmSync(dir, { recursive: true, force: true }); } };
    expect(await pages()).toEqual(afterErasure);
    for (const f of ['views.db', 'views.db-wal']) expect(fileWords(join(h.dir, f)), f).toEqual([]);
  });

  it('round-trips: export -> import into a new archive gives the same pages, and the new archive forgets the key too', async () => {
    const exported: string[] = [];
    await exportEvents(h.store, async (c) => void exported.push(c), { includeAuth: true });
    const target = tempDir('hallway-roundtrip-');
    copies.push(target);
    mkdirSync(target.dir, { recursive: true });
    const other = await openHallway(loadConfig({ HALLWAY_DATA_DIR: target.dir, PORT: '3000' }), { clock, log: () => {} });
    try {
      await importLines(other.store, exported.join('').trim().split('\n'), { includeAuth: true });
      await other.runtime.waitFor(await other.store.headPosition());
      const was = h;
      h = { ...other, app: createApp(other), dir: target.dir, dispose: async () => {} };
      try {
        expect(await pages()).toEqual(afterErasure);
      } finally {
        h = was;
      }
      expect(fileWords(join(target.dir, 'events.db'))).toEqual([]);
      const keys = openKeyFile(join(target.dir, 'keys.db'));
      expect(await keys.forgotten(T)).toBe(true);
      await keys.close();
    } finally {
      await other.close();
    }
  });
});

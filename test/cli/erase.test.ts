import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminCommand } from '../../src/cli/admin.ts';
import { loadConfig } from '../../src/config.ts';
import { importLines } from '../../src/importer.ts';
import { openHallway } from '../../src/services.ts';
import { openStore } from '../../src/store/open.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { openKeyFile } from '../../src/privacy/keys.ts';
import { FORMER_COLLEAGUE, REMOVED_TEXT } from '../../src/privacy/markers.ts';
import { getStory } from '../../src/read/stories.ts';
import { orgQueries } from '../../src/read/org.ts';
import { tempDir } from '../helpers.ts';
import { runCli } from './run-cli.ts';
import { openOutbox } from '../../src/mail/outbox.ts';

/*
 * `hallway admin erase PERSON` (the real bin, in a child process) over a data directory, and the
 * erasure a crash left unfinished (PersonErased in the log, the key still there) finished on start.
 */

const NAME = 'Philippa Snodgrassington';
const EMAIL = 'philippa.snodgrassington@example.test';
const TITLE = 'Cantaloupe Governance Debacle';
const BODY = 'Wobblestone recollection of the budget meeting';
const LEADER = 'Barnaby Quillfeather';
const WORDS = [NAME, EMAIL, TITLE, BODY, LEADER, 'Snodgrassington', 'snodgrassington', 'Wobblestone', 'wobblestone', 'Quillfeather', 'quillfeather'];
const found = (file: string): string[] => (existsSync(file) ? WORDS.filter((w) => readFileSync(file).indexOf(Buffer.from(w)) >= 0) : []);

const line = (n: number, type: string, data: object, actor = 'system') =>
  JSON.stringify({ id: randomUUID(), type, data, metadata: { at: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(), actor } });
const people = (prefix: string, name: string, email: string) => [
  line(1, 'DepartmentOpened', { departmentId: 'dept-a', name: 'Accounts' }),
  line(2, 'EmployeeJoined', { employeeId: `${prefix}-1`, name, email, departmentId: 'dept-a', joinedOn: '2020-01-01' }),
  line(3, 'EmployeeJoined', { employeeId: `${prefix}-2`, name: 'Other Person', departmentId: 'dept-a', joinedOn: '2020-01-01' }),
  line(4, 'StorySubmitted', { storyId: `${prefix}-s`, title: TITLE, body: BODY, tellerId: `${prefix}-1`, leader: LEADER, occurredOn: '2024-12', themes: [], relation: 'witnessed', anonymous: false }, `${prefix}-1`),
  line(5, 'StoryRead', { storyId: `${prefix}-s`, readerId: `${prefix}-2` }, `${prefix}-2`),
];

describe('hallway admin erase', () => {
  const tmp = tempDir('hallway-erase-cli-');
  const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir });
  beforeAll(async () => {
    const h = await openHallway(config, { log: () => {} });
    try {
      await importLines(h.store, people('emp', NAME, EMAIL));
      await h.runtime.waitFor(await h.store.headPosition());
    } finally {
      await h.close();
    }
  });
  afterAll(() => tmp.remove());

  it('refuses someone still employed (exit 1, the reason on stderr, nothing appended), erases after leaving, and says so on a second run', { timeout: 120_000 }, async () => {
    const headOf = async (): Promise<number> => {
      const s = openEmbeddedStore(join(tmp.dir, 'events.db'));
      try {
        return await s.headPosition();
      } finally {
        await s.close();
      }
    };
    const head = await headOf();
    const refused = await runCli(['admin', 'erase', 'emp-1'], tmp.dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`hallway admin erase: ${NAME} (emp-1, ${EMAIL}): this person is still employed: erasure follows leaving, so mark them as left first`);
    expect(await headOf()).toBe(head);

    const store = await openStore(config);
    try {
      await importLines(store, [line(6, 'EmployeeLeft', { employeeId: 'emp-1' })]);
    } finally {
      await store.close();
    }
    // mail waiting for them in the email outbox (the command must clear it too)
    const outbox = openOutbox(join(tmp.dir, 'mail.db'));
    try {
      outbox.add({ key: 'shared-emp-1', kind: 'shared', employeeId: 'emp-1', to: EMAIL, subject: `${NAME}, a story for you`, text: TITLE, html: `<p>${TITLE}</p>`, unsubscribeUrl: 'http://hallway.test/unsubscribe/x' }, Date.now());
    } finally {
      outbox.close();
    }
    expect(found(join(tmp.dir, 'mail.db')).length + found(join(tmp.dir, 'mail.db-wal')).length).toBeGreaterThan(0);
    const erased = await runCli(['admin', 'erase', EMAIL], tmp.dir);
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toBe(`erased ${NAME} (emp-1, ${EMAIL}): their key is destroyed; Hallway now shows "a former colleague" and their stories' text as removed\n`);
    // the command brought every read model up to date: no word left in views.db, its WAL or anywhere else
    for (const f of ['events.db', 'events.db-wal', 'views.db', 'views.db-wal', 'keys.db', 'mail.db', 'mail.db-wal']) expect(found(join(tmp.dir, f)), f).toEqual([]);

    // a second run, in this process (a child process costs seconds here)
    let stdout = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv('HALLWAY_DATA_DIR', tmp.dir);
    vi.stubEnv('EVENTSTORE_URL', '');
    try {
      expect(await adminCommand(['erase', 'emp-1'])).toBe(0);
    } finally {
      o.mockRestore();
      e.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(stdout).toBe('emp-1 was already erased: nothing changed\n');

    const h = await openHallway(config, { log: () => {} });
    try {
      expect(orgQueries(h.runtime.db).employee('emp-1')).toMatchObject({ name: FORMER_COLLEAGUE, email: null });
      expect(getStory(h.runtime.db, 'emp-s')).toMatchObject({ title: REMOVED_TEXT, body: REMOVED_TEXT });
    } finally {
      await h.close();
    }
  });

  it('finishes on start an erasure whose key a crash left in the key store', async () => {
    const dir = tempDir('hallway-erase-crash-');
    try {
      const cfg = loadConfig({ HALLWAY_DATA_DIR: dir.dir });
      const h = await openHallway(cfg, { log: () => {} });
      await importLines(h.store, [...people('c', NAME, EMAIL), line(6, 'EmployeeLeft', { employeeId: 'c-1' })]);
      await h.runtime.waitFor(await h.store.headPosition());
      await h.close();
      // PersonErased appended below the sealing layer: as if the process died before forgetting
      const raw = openEmbeddedStore(join(dir.dir, 'events.db'));
      await raw.append('employee-c-1', [{ id: randomUUID(), type: 'PersonErased', data: { employeeId: 'c-1' }, metadata: { at: '2025-02-01T00:00:00.000Z', actor: 'cli:test' } }]);
      await raw.close();
      const keysBefore = openKeyFile(join(dir.dir, 'keys.db'));
      expect(await keysBefore.forgotten('c-1')).toBe(false);
      await keysBefore.close();

      const reopened = await openHallway(cfg, { log: () => {} });
      try {
        expect(orgQueries(reopened.runtime.db).employee('c-1')?.name).toBe(FORMER_COLLEAGUE);
        expect(getStory(reopened.runtime.db, 'c-s')).toMatchObject({ title: REMOVED_TEXT });
      } finally {
        await reopened.close();
      }
      const keys = openKeyFile(join(dir.dir, 'keys.db'));
      expect(await keys.forgotten('c-1')).toBe(true);
      expect(await keys.open('c-1')).toBeNull();
      await keys.close();
      expect(found(join(dir.dir, 'keys.db'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportRefused, importFile, importLines } from '../../src/importer.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { EventStore } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';
import { emailHash } from '../../src/domain/org.ts';

/** Issue 9 finding 3 (auth lines), finding 4 (the routes' rules) and issue 8 point 7 (null = absent). */
const at = '2026-02-01T09:00:00.000Z';
let seq = 0;
const line = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, type, data, metadata: { at }, ...extra });
const dept = (id: string) => line('DepartmentOpened', { departmentId: id, name: `Dept ${id}` });
const joined = (id: string, email?: string, departmentId = 'd1') => line('EmployeeJoined', { employeeId: id, name: `Person ${id}`, departmentId, joinedOn: '2020-01-01', ...(email ? { email } : {}) });
const admin = (id: string) => line('EmployeeRoleGranted', { employeeId: id, role: 'admin' });
const HASH = 'ab'.repeat(32);

describe('import refusals by line number', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: EventStore;
  beforeEach(() => {
    tmp = tempDir();
    store = openEmbeddedStore(join(tmp.dir, 'events.db'), { synchronous: 'NORMAL' });
  });
  afterEach(async () => {
    await store.close();
    tmp.remove();
  });

  /** imports `lines`; expects a refusal at `lineNo` whose reason matches, and nothing appended */
  async function refused(lines: string[], lineNo: number, reason: RegExp, opts: { includeAuth?: boolean } = {}): Promise<void> {
    const before = await store.headPosition();
    const err = await importLines(store, lines, opts).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRefused);
    expect((err as ImportRefused).line).toBe(lineNo);
    expect((err as ImportRefused).reason).toMatch(reason);
    expect(await store.headPosition()).toBe(before);
  }

  const org = () => [dept('d1'), joined('boss', 'boss@example.test'), admin('boss')];

  describe('credentials, sessions and API tokens (finding 3)', () => {
    const planted = [
      ['SessionStarted', { sessionId: 'planted', secretHash: HASH, employeeId: 'boss', expiresAt: '2030-01-01T00:00:00.000Z' }],
      ['PasswordSet', { employeeId: 'boss', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g' }],
      ['InvitationIssued', { employeeId: 'boss', tokenHash: HASH, expiresAt: '2030-01-01T00:00:00.000Z' }],
      ['ApiTokenIssued', { tokenId: 'tok', employeeId: 'boss', secretHash: HASH, label: 'x' }],
    ] as const;
    for (const [type, data] of planted) {
      it(`${type} without --include-auth is refused with its line number`, async () => {
        await refused([...org(), line(type, data)], 4, /only with --include-auth/);
      });
    }
    it('SessionExtended / SessionEnded / ApiTokenRevoked without --include-auth are refused', async () => {
      await importLines(store, org());
      await refused([line('SessionEnded', { sessionId: 'x', reason: 'revoked' })], 1, /only with --include-auth/);
      await refused([line('ApiTokenRevoked', { tokenId: 'x' })], 1, /only with --include-auth/);
    });
    it('with --include-auth into an archive without credentials: imported, after every reference is checked', async () => {
      await refused([...org(), line('SessionStarted', { sessionId: 's1', secretHash: HASH, employeeId: 'nobody', expiresAt: '2030-01-01T00:00:00.000Z' })], 4, /employee nobody has not joined/, { includeAuth: true });
      await refused([...org(), line('SessionEnded', { sessionId: 'never', reason: 'revoked' })], 4, /session never has not started/, { includeAuth: true });
      await refused([...org(), line('ApiTokenRevoked', { tokenId: 'never' })], 4, /API token never has not been issued/, { includeAuth: true });
      const r = await importLines(store, [...org(), line(...planted[0])], { includeAuth: true });
      expect(r.appended).toBe(4);
    });
    it('with --include-auth into an archive that already has credentials: refused', async () => {
      await importLines(store, [...org(), line(...planted[1])], { includeAuth: true });
      await refused([line(...planted[0])], 1, /already holds credentials/, { includeAuth: true });
    });
  });

  describe("the routes' rules, through the deciders (finding 4)", () => {
    it("EmployeeJoined with an email already used (any case) is refused", async () => {
      await refused([...org(), joined('intruder', 'BOSS@example.test')], 4, /email is already in use/);
    });
    it('email claims (email-{sha256} streams): an address claimed twice, or joined by someone other than its holder, is refused', async () => {
      const claim = (email: string, employeeId: string) => line('EmailClaimed', { emailHash: emailHash(email), employeeId });
      await refused([dept('d1'), claim('ada@example.test', 'ada'), joined('ada', 'ada@example.test'), claim('ADA@example.test', 'eve')], 4, /is already claimed by ada/);
      await refused([dept('d1'), claim('ada@example.test', 'ada'), joined('eve', 'ada@example.test')], 3, /email is already in use/);
      const r = await importLines(store, [dept('d1'), claim('ada@example.test', 'ada'), joined('ada', 'ada@example.test')]);
      expect(r.appended).toBe(3);
    });
    it('a department opened twice is refused, in the file or against the log', async () => {
      await refused([dept('d1'), dept('d1')], 2, /already used by another department/);
      await importLines(store, [dept('d2')]);
      await refused([dept('d2')], 1, /already used by another department/);
    });
    it('an employee id that has joined is refused; a closed department with members is refused', async () => {
      await refused([...org(), joined('boss')], 4, /already used by another person/);
      await refused([...org(), line('DepartmentClosed', { departmentId: 'd1' })], 4, /still has 1 person/);
    });
    it('the last admin cannot leave or lose the role', async () => {
      await refused([...org(), line('EmployeeLeft', { employeeId: 'boss' })], 4, /last admin/);
      await refused([...org(), line('EmployeeRoleRevoked', { employeeId: 'boss', role: 'admin' })], 4, /last admin/);
    });
    it('a theme defined twice is refused', async () => {
      const theme = (id: string) => line('ThemeDefined', { themeId: id, name: 'Courage', description: '' });
      await refused([theme('t1'), theme('t1')], 2, /already exists/);
    });
    it('a theme named like another, ignoring case, is refused, also when a theme is renamed to it', async () => {
      const theme = (id: string, name: string) => line('ThemeDefined', { themeId: id, name, description: '' });
      await refused([theme('t1', 'Courage'), theme('t2', ' COURAGE')], 2, /Another theme already has this name/);
      await refused([theme('t1', 'Courage'), theme('t2', 'Candour'), line('ThemeDescribed', { themeId: 't2', name: 'courage', description: '' })], 3, /Another theme already has this name/);
    });
    it('metadata.v beyond the newest version is refused', async () => {
      await refused([dept('d1'), JSON.stringify({ type: 'DepartmentRenamed', data: { departmentId: 'd1', name: 'X' }, metadata: { at, v: 99 } })], 2, /metadata.v 99 is not a known version of DepartmentRenamed \(the newest is 1\)/);
    });
    it('unknown keys in data (__proto__, constructor, a 5 MB one) and in metadata are refused', async () => {
      await refused([`{"type":"DepartmentOpened","data":{"departmentId":"d1","name":"A","__proto__":{"admin":true}},"metadata":{"at":"${at}"}}`], 1, /unknown key\(s\) "__proto__"/);
      await refused([line('DepartmentOpened', { departmentId: 'd1', name: 'A', constructor: 'x' })], 1, /unknown key\(s\) "constructor"/);
      await refused([line('DepartmentOpened', { departmentId: 'd1', name: 'A', ['k'.repeat(5_000_000)]: 1 })], 1, /unknown key\(s\) "k{40}…"/);
      await refused([JSON.stringify({ type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'A' }, metadata: { at, role: 'admin' } })], 1, /metadata has unknown key\(s\) "role"/);
    });
    it('an id repeated in the file with different content is refused; with the same content it is skipped', async () => {
      const a = JSON.stringify({ id: 'dup-1', type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'A' }, metadata: { at } });
      const b = JSON.stringify({ id: 'dup-1', type: 'DepartmentOpened', data: { departmentId: 'd9', name: 'B' }, metadata: { at } });
      await refused([a, dept('d2'), b], 3, /id dup-1 appears on line 1 with different content/);
      const r = await importLines(store, [a, a]);
      expect(r).toMatchObject({ appended: 1, skipped: 1 });
    });
    it('an id already in the log with different content is refused; the same content is skipped (re-import adds nothing)', async () => {
      const a = JSON.stringify({ id: 'log-1', type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'A' }, metadata: { at, actor: 'x' } });
      await importLines(store, [a]);
      const changed = JSON.stringify({ id: 'log-1', type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'Changed' }, metadata: { at, actor: 'x' } });
      await refused([changed], 1, /id log-1 is in the log with different content/);
      // the same content with keys in another order and an explicit null: still the same event
      const same = JSON.stringify({ metadata: { actor: 'x', at }, data: { name: 'A', departmentId: 'd1' }, type: 'DepartmentOpened', id: 'log-1', stream: 'ignored' });
      const r = await importLines(store, [same]);
      expect(r).toMatchObject({ appended: 0, skipped: 1 });
    });
    it('invalid UTF-8 is refused with the line number, not replaced', async () => {
      const file = join(tmp.dir, 'bad.jsonl');
      const good = Buffer.from(`${dept('d1')}\n`);
      const bad = Buffer.concat([Buffer.from('{"type":"DepartmentOpened","data":{"departmentId":"d2","name":"A'), Buffer.from([0xff, 0xfe]), Buffer.from(`"},"metadata":{"at":"${at}"}}\n`)]);
      writeFileSync(file, Buffer.concat([good, good, bad]));
      const err = await importFile(store, file).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ImportRefused);
      expect((err as ImportRefused).message).toBe('line 3: is not valid UTF-8');
      expect(await store.headPosition()).toBe(0);
    });
  });

  describe('null counts as absent (issue 8, point 7)', () => {
    it('"actor": null, an optional data field null and "id": null import as if absent', async () => {
      const lines = [
        JSON.stringify({ id: null, type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'Ops' }, metadata: { at, actor: null, v: null } }),
        JSON.stringify({ type: 'EmployeeJoined', data: { employeeId: 'e1', name: 'E', departmentId: 'd1', joinedOn: '2020-01-01', email: null }, metadata: { at, actor: null } }),
      ];
      const r = await importLines(store, lines);
      expect(r.appended).toBe(2);
      const events = await store.readAll({ after: 0 });
      expect(events[0]!.metadata).toEqual({ at });
      expect(events[1]!.data).not.toHaveProperty('email');
    });
    it('a required field given as null is missing', async () => {
      await refused([JSON.stringify({ type: 'DepartmentOpened', data: { departmentId: 'd1', name: null }, metadata: { at } })], 1, /name/);
      await refused([JSON.stringify({ type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'x' }, metadata: { at: null } })], 1, /metadata/);
    });
  });
});

/**
 * `hallway verify` (issue 13, tamper evidence; docs/trust.md "hallway verify"). One archive of
 * 2,500 events is built once and sealed by the chain keeper (at 1,000, 2,000 and the head); each
 * case tampers with a COPY of its events.db, with the append-only triggers dropped first, and runs
 * the real `hallway verify` on it.
 */
import Database from '../../src/store/sqlite-driver.ts';
import type { SqliteDatabase } from '../../src/store/sqlite-driver.ts';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChainKeeper } from '../../src/chain/keeper.ts';
import { chainOf } from '../../src/chain/link.ts';
import { createSealKeyFiles, keyIdOf, loadSealKey, makeSeal } from '../../src/chain/seal.ts';
import { loadConfig } from '../../src/config.ts';
import { verifyStore } from '../../src/cli/verify.ts';
import { openViews } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { BatchAppend, RecordedEvent } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';
import { runCli } from './run-cli.ts';
import type { CliResult } from './run-cli.ts';

const EVENTS = 2500;
const STREAMS = 50;

let archive: { dir: string; remove: () => void };
let keys: { dir: string; remove: () => void };
let keyFile: string;
let pubFile: string;
let copies = 0;
/** the log as built, for the links the tampering cases need */
let logged: RecordedEvent[] = [];

beforeAll(async () => {
  archive = tempDir('hallway-verify-');
  keys = tempDir('hallway-seal-key-');
  keyFile = join(keys.dir, 'seal.key');
  const init = await runCli(['admin', 'seal-key', 'init', keyFile], archive.dir);
  expect(init.code, init.stderr).toBe(0);
  pubFile = init.stdout.trim();
  expect(pubFile).toBe(`${keyFile}.pub`);
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);

  const store = openEmbeddedStore(join(archive.dir, 'events.db'), { synchronous: 'NORMAL' });
  const items: BatchAppend[] = [];
  for (let i = 0; i < EVENTS; i++) {
    items.push({ stream: `story-s${i % STREAMS}`, events: [{ id: `e-${i}`, type: 'StoryHeard', data: { storyId: `s${i % STREAMS}`, employeeId: `emp-${i}` }, metadata: { at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() } }] });
  }
  await store.appendBatch(items);
  const views = openViews(join(archive.dir, 'views.db'));
  const keeper = startChainKeeper({ store, views, sealKey: loadSealKey(keyFile), log: () => {} });
  await keeper.caughtUp;
  // the seals at 1,000 and 2,000 land at 2,501 and 2,502; then the head is sealed by hand
  for (let i = 0; keeper.head().ordinal < EVENTS + 2 && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
  expect(keeper.head().ordinal).toBe(EVENTS + 2);
  const head = await keeper.sealHead();
  expect(head?.upToPosition).toBe(EVENTS + 2);
  await keeper.close();
  views.close();
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: 1000 });
    logged.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1]!.position;
  }
  await store.close();

  // every CLI run at once: each is a child process that mostly waits on its own start-up
  const other = generateKeyPairSync('ed25519');
  const ours = keyIdOf(loadSealKey(keyFile).publicKey);
  // a seal for 2,400 with the right chain hash, signed by a key that is not the configured one
  const forged = { ...makeSeal({ ...other, keyId: keyIdOf(other.publicKey) }, 2400, linkAt(2400)), keyId: ours };
  const wrong = makeSeal(loadSealKey(keyFile), 1500, 'ab'.repeat(32));
  const insertSeal = (db: SqliteDatabase, id: string, stream: string, data: unknown): void =>
    void db.prepare("INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, 0, 'LogSealed', ?, ?)").run(id, stream, JSON.stringify(data), JSON.stringify({ at: '2026-02-01T00:00:00.000Z' }));
  const runs: Record<string, Promise<CliResult>> = {
    intact: verify(tamperedCopy(() => {})),
    noKey: verify(tamperedCopy(() => {}), {}),
    changed: verify(tamperedCopy((db) => db.prepare("UPDATE events SET data = json_set(data, '$.employeeId', 'emp-x') WHERE position = 1500").run())),
    removed: verify(tamperedCopy((db) => db.prepare('DELETE FROM events WHERE position = 1234').run())),
    // two events of one stream (1300 and 1350: the same i % 50) swap places
    reordered: verify(
      tamperedCopy((db) => {
        db.prepare('UPDATE events SET position = -1 WHERE position = 1300').run();
        db.prepare('UPDATE events SET position = 1300 WHERE position = 1350').run();
        db.prepare('UPDATE events SET position = 1350 WHERE position = -1').run();
      }),
    ),
    forged: verify(tamperedCopy((db) => insertSeal(db, 'forged', 'seal-2400', forged))),
    wrongHash: verify(tamperedCopy((db) => insertSeal(db, 'wrong', 'seal-1500', wrong))),
  };
  for (const [name, run] of Object.entries(runs)) results[name] = await run;
}, 240_000);

const results: Record<string, CliResult> = {};

afterAll(() => {
  archive?.remove();
  keys?.remove();
});

/** a copy of events.db with the triggers dropped, changed by `tamper` */
function tamperedCopy(tamper: (db: SqliteDatabase) => void): string {
  const dir = join(archive.dir, `copy-${++copies}`);
  mkdirSync(dir);
  copyFileSync(join(archive.dir, 'events.db'), join(dir, 'events.db'));
  expect(existsSync(join(archive.dir, 'events.db-wal')) && statSync(join(archive.dir, 'events.db-wal')).size > 0).toBe(false);
  const db = new Database(join(dir, 'events.db'));
  db.exec('DROP TRIGGER events_are_never_updated; DROP TRIGGER events_are_never_deleted;');
  tamper(db);
  db.close();
  return dir;
}

const verify = (dir: string, env: Record<string, string> = { HALLWAY_SEAL_PUBLIC_KEY: pubFile }) => runCli(['verify'], dir, env);

const linkAt = (position: number): string => chainOf(logged.slice(0, position))[position - 1]!.toString('hex');

describe('hallway verify', () => {
  it('exits 0 on the untouched log with a summary: events, seals, last sealed position, events after it', () => {
    const r = results['intact']!;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/events:\s+2,503/);
    expect(r.stdout).toMatch(/seals:\s+3 \(checked with key /);
    expect(r.stdout).toMatch(/last sealed position:\s+2,502/);
    expect(r.stdout).toMatch(/not yet sealed:\s+1 event after it/);
  });

  it("checks seals with the .pub beside HALLWAY_SEAL_KEY_FILE when HALLWAY_SEAL_PUBLIC_KEY is not set", async () => {
    const store = openEmbeddedStore(join(archive.dir, 'events.db'));
    try {
      const report = await verifyStore(store, { sealKeyFile: keyFile });
      expect(report.keyIds).toEqual([keyIdOf(loadSealKey(keyFile).publicKey)]);
      expect(report.problems).toEqual([]);
      expect(report.lastSealed).toBe(EVENTS + 2);
    } finally {
      await store.close();
    }
  });

  it('a changed event: exit 1 at the first seal after it, naming the range', () => {
    const r = results['changed']!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first at position 2000\n/);
    expect(r.stdout).toContain('position 2000: the log no longer matches its seal (at position 2502): an event at positions 1001–2000 was changed, removed or reordered');
  });

  it('a removed event: exit 1 naming its position exactly', () => {
    const r = results['removed']!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first at position 1234\n/);
    expect(r.stdout).toContain('position 1234 is missing: an event was removed from the log');
  });

  it('reordered events: exit 1 naming where the order breaks', () => {
    const r = results['reordered']!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first at position 1300\n/);
    expect(r.stdout).toMatch(/position 1300: stream story-s\d+'s revision 25 comes after revision 26, at position 1350: events were reordered/);
  });

  it('a forged seal (signed with another key): exit 1 naming its position', () => {
    const r = results['forged']!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first at position 2400\n/);
    expect(r.stdout).toContain('position 2400: its seal (at position 2504) is forged: its signature does not verify with the configured public key');
  });

  it('a seal with a wrong chain hash (signed with the real key): exit 1 naming its position', () => {
    const r = results['wrongHash']!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first at position 1500\n/);
    expect(r.stdout).toContain("position 1500: its seal (at position 2504) carries a chain hash that is not the log's, although a later seal matches the log: the seal is wrong");
  });

  it('exits 2 when the log has seals and no public key is configured to check them', () => {
    const r = results['noKey']!;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no public key is configured');
  });

  it('seal-key init (run in beforeAll) never overwrites a key; a key file inside the data directory is refused', () => {
    const before = readFileSync(keyFile, 'utf8');
    expect(() => createSealKeyFiles(keyFile)).toThrow(/exists already/);
    expect(readFileSync(keyFile, 'utf8')).toBe(before);
    expect(readFileSync(pubFile, 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect(() => loadConfig({ HALLWAY_DATA_DIR: archive.dir, HALLWAY_SEAL_KEY_FILE: join(archive.dir, 'keys', 'seal.key') })).toThrow(/must be outside the data directory/);
  });
});

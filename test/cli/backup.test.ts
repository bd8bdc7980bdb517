import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { exportEvents } from '../../src/cli/export.ts';
import { MANIFEST } from '../../src/cli/backup.ts';
import type { BackupManifest } from '../../src/cli/backup.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { loadConfig } from '../../src/config.ts';
import { openHallway } from '../../src/services.ts';
import { createApp } from '../../src/http/app.ts';
import { cookieFor, givenEmployee } from '../auth-helpers.ts';
import { get, givenStory, givenTheme } from '../http/stories-given.ts';
import { tempDir, testHallway } from '../helpers.ts';
import { openOutbox } from '../../src/mail/outbox.ts';
import { runCli } from './run-cli.ts';

/** every event as exported with --include-auth (sessions and credentials too), in process */
async function exportOf(dataDir: string): Promise<string[]> {
  const store = openEmbeddedStore(join(dataDir, 'events.db'));
  let out = '';
  try {
    await exportEvents(store, async (c) => void (out += c), { includeAuth: true });
  } finally {
    await store.close();
  }
  return out.split('\n').filter((l) => l !== '');
}

/** `hallway ARGS` in this process over a data directory (a child process costs seconds on a busy machine) */
async function inProcess(args: string[], dataDir: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { HALLWAY_DATA_DIR: dataDir, EVENTSTORE_URL: '', ...env });
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
  }
}

/**
 * Issue 14, backups: `hallway backup DIR` while the archive is being written to by another
 * process, `hallway restore DIR` into an empty data directory, and the restored archive holds the
 * same log and serves the same pages.
 */
describe('hallway backup and restore', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const tmp = tempDir('hallway-backup-');
  let tellerId = '';
  let storyId = '';

  beforeAll(async () => {
    h = await testHallway();
    await givenTheme(h, 'care', 'Care for people');
    tellerId = (await givenEmployee(h, { name: 'Ada Teller', departmentId: 'dept-noc' })).employeeId;
    storyId = await givenStory(h, { tellerId, title: 'The night the lines went down', themes: ['care'] });
  }, 60_000);
  afterAll(async () => {
    await h?.dispose();
    tmp.remove();
  });

  it('backs up while another process writes, and the restored archive has the log up to the backup and serves the same pages', async () => {
    // a steady write load from this process while the backup runs in its own process
    let writing = true;
    let written = 0;
    const load = (async () => {
      while (writing) {
        await givenStory(h, { tellerId, title: `Told during the backup ${written}`, themes: ['care'] });
        written += 1;
      }
    })();
    // let the load run before and during the backup
    while (written < 20) await new Promise((r) => setTimeout(r, 10));
    const first = join(tmp.dir, 'during');
    const during = await runCli(['backup', first], h.dir);
    const writtenDuringBackup = written;
    writing = false;
    await load;
    expect(during.stderr).toBe('');
    expect(during.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(first, MANIFEST), 'utf8')) as BackupManifest;
    expect(during.stdout).toContain(`backed up ${manifest.events} events`);
    expect(readdirSync(first).sort()).toEqual(['device-cookie.key', 'events.db', MANIFEST].filter((f) => f !== 'device-cookie.key' || existsSync(join(h.dir, f))).sort());
    expect(writtenDuringBackup).toBeGreaterThanOrEqual(20);

    const restored = join(tmp.dir, 'restored-during');
    const r = await runCli(['restore', first], restored);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // the restored log is exactly the source's log up to the backup's last position
    const source = await exportOf(h.dir);
    const copy = await exportOf(restored);
    expect(copy.length).toBe(manifest.events);
    expect(copy).toEqual(source.filter((l) => (JSON.parse(l) as { position: number }).position <= manifest.lastPosition));
    // it was a backup of a moving log: the source went on after it
    expect(source.length).toBeGreaterThan(copy.length);

    // once writes have stopped, a second backup restores to an archive that serves the same pages
    // (the session is made first: sessions are events, so it is in the copy too)
    const cookie = await cookieFor(h, tellerId);
    const second = join(tmp.dir, 'quiet');
    expect((await inProcess(['backup', second], h.dir)).code).toBe(0);
    const quietRestored = join(tmp.dir, 'restored-quiet');
    expect((await inProcess(['restore', second], quietRestored)).code).toBe(0);
    expect(await exportOf(quietRestored)).toEqual(await exportOf(h.dir));
    // the key store was backed up apart from the log (docs/trust.md), beside it, and restored with it
    expect(readdirSync(`${second}.keys`).sort()).toEqual(['hallway-keys-backup.json', 'keys.db']);
    expect(existsSync(join(quietRestored, 'keys.db'))).toBe(true);
    const other = await openHallway(loadConfig({ HALLWAY_DATA_DIR: quietRestored, PORT: '3000' }), { log: () => {} });
    try {
      const otherApp = createApp(other);
      for (const path of [`/stories/${storyId}`, '/timelines', '/themes/care', '/search?q=backup']) {
        const a = await get(h.app, path, cookie);
        const b = await get(otherApp, path, cookie);
        expect(b.status, path).toBe(200);
        expect(a.status, path).toBe(200);
        expect(await b.text(), path).toBe(await a.text());
      }
    } finally {
      await other.close();
    }
  }, 120_000);

  it('refuses a directory that is not empty, a data directory that is not empty, and a damaged backup, changing nothing', async () => {
    const used = join(tmp.dir, 'used');
    mkdirSync(used, { recursive: true });
    writeFileSync(join(used, 'notes.txt'), 'keep me');
    const b = await inProcess(['backup', used], h.dir);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('is not empty');
    expect(readdirSync(used)).toEqual(['notes.txt']);

    const good = join(tmp.dir, 'good');
    expect((await inProcess(['backup', good], h.dir)).code).toBe(0);
    // into the live data directory: refused, and its log is untouched
    const before = await exportOf(h.dir);
    const intoLive = await inProcess(['restore', good], h.dir);
    expect(intoLive.code).toBe(1);
    expect(intoLive.stderr).toContain('restore only into an empty data directory');
    expect(await exportOf(h.dir)).toEqual(before);

    // one byte changed in the copy of the log: refused before anything is written
    const damaged = join(tmp.dir, 'damaged');
    expect((await inProcess(['backup', damaged], h.dir)).code).toBe(0);
    const file = join(damaged, 'events.db');
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(file, bytes);
    const target = join(tmp.dir, 'restored-damaged');
    const d = await inProcess(['restore', damaged], target);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('damaged: events.db does not match its checksum');
    expect(existsSync(join(target, 'events.db'))).toBe(false);

    // without its key store a restore would show every name and story as erased: refused unless asked
    const keyless = join(tmp.dir, 'keyless');
    expect((await inProcess(['backup', keyless], h.dir)).code).toBe(0);
    rmSync(`${keyless}.keys`, { recursive: true });
    const refusedKeys = await inProcess(['restore', keyless], join(tmp.dir, 'restored-keyless'));
    expect(refusedKeys.code).toBe(1);
    expect(refusedKeys.stderr).toContain('there is no key-store backup');
    expect(existsSync(join(tmp.dir, 'restored-keyless', 'events.db'))).toBe(false);
    const anyway = await inProcess(['restore', keyless, '--without-keys'], join(tmp.dir, 'restored-keyless'));
    expect(anyway.code).toBe(0);
    expect(existsSync(join(tmp.dir, 'restored-keyless', 'keys.db'))).toBe(false);

    const none = await inProcess(['restore', used], join(tmp.dir, 'restored-none'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`holds no Hallway backup (no ${MANIFEST})`);

    const usage = await inProcess(['backup'], h.dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: hallway backup DIR');
  }, 120_000);

  it('keeps the email outbox: a queued mail and a failed send are in the restored data directory', async () => {
    const outbox = openOutbox(join(h.dir, 'mail.db'));
    const mail = (key: string) => ({ key, kind: 'shared' as const, employeeId: tellerId, to: 'ada@example.test', subject: 'A story for you', text: 'text', html: '<p>html</p>', unsubscribeUrl: 'http://hallway.test/unsubscribe/x' });
    try {
      expect(outbox.add(mail('queued-1'), Date.now())).toBe(true);
      expect(outbox.add(mail('failed-1'), Date.now())).toBe(true);
      const claimed = outbox.claim(Date.now(), 20).find((m) => m.key === 'failed-1')!;
      outbox.markFailed(claimed, '550 no such mailbox', true, Date.now());
    } finally {
      outbox.close();
    }
    const dir = join(tmp.dir, 'with-mail');
    expect((await inProcess(['backup', dir], h.dir)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as BackupManifest;
    expect(Object.keys(manifest.files)).toContain('mail.db');
    const target = join(tmp.dir, 'restored-mail');
    expect((await inProcess(['restore', dir], target)).code).toBe(0);
    const restored = openOutbox(join(target, 'mail.db'));
    try {
      expect(restored.byKey('queued-1')).toBeTruthy();
      expect(restored.failed().map((f) => f.error)).toEqual(['550 no such mailbox']);
    } finally {
      restored.close();
    }
  });

  it('points an EventStoreDB deployment at its own backups', async () => {
    const r = await inProcess(['backup', join(tmp.dir, 'esdb')], h.dir, { EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('EventStoreDB, which keeps its own backups');
    expect(existsSync(join(tmp.dir, 'esdb'))).toBe(false);
  });
});

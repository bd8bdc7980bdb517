/**
 * Every `hallway` command exits on EventStoreDB (issue 8, point 6): each runs as a real child
 * process against the wire server with a deadline. The deadline is a hang detector (before the
 * adapter fixes, an abandoned read kept `client.dispose()` waiting forever), not a speed check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { tempDir } from '../helpers.ts';
import { runWithDeadline } from './processes.ts';
import type { Finished } from './processes.ts';

const DEADLINE_MS = 60_000;
const TEST_MS = 2 * DEADLINE_MS;

describe('every hallway command exits on EventStoreDB', () => {
  let server: EsdbWireServer;
  let dir: ReturnType<typeof tempDir>;
  const env = (): Record<string, string> => ({ EVENTSTORE_URL: server.url, HALLWAY_DATA_DIR: dir.dir, HALLWAY_PUBLIC_URL: 'http://hallway.test' });
  const run = (args: string[], extra: Record<string, string> = {}): Promise<Finished> => runWithDeadline(args, { ...env(), ...extra }, DEADLINE_MS);
  const ok = (r: Finished, what: string): void => {
    expect(r.hung, `${what} did not exit within ${DEADLINE_MS} ms: ${r.stderr}`).toBe(false);
    expect(r.code, `${what}: ${r.stderr}`).toBe(0);
  };
  let adminEmail = '';
  let exported = '';

  beforeAll(async () => {
    server = await EsdbWireServer.start();
    dir = tempDir('hallway-esdb-cli-');
  });
  afterAll(async () => {
    await server.stop();
    dir.remove();
  });

  it('demo', async () => {
    const r = await run(['demo']);
    ok(r, 'demo');
    adminEmail = r.stdout.split('\n').find((l) => l.startsWith('admin '))!.split(' ')[1]!;
    expect(adminEmail).toMatch(/@/);
  }, TEST_MS);

  // what --include-auth adds or leaves out is checked on the embedded store (import-export.test.ts)
  it('export --include-auth', async () => {
    const all = await run(['export', '--include-auth']);
    ok(all, 'export --include-auth');
    expect(all.stdout.trim().split('\n').length).toBeGreaterThan(900);
    exported = join(dir.dir, 'export.jsonl');
    writeFileSync(exported, all.stdout);
  }, TEST_MS);

  it('import (into a second EventStoreDB)', async () => {
    const other = await EsdbWireServer.start();
    const otherDir = tempDir('hallway-esdb-cli-');
    try {
      const r = await runWithDeadline(['import', '--include-auth', exported], { EVENTSTORE_URL: other.url, HALLWAY_DATA_DIR: otherDir.dir }, DEADLINE_MS);
      ok(r, 'import');
      const back = await runWithDeadline(['export', '--include-auth'], { EVENTSTORE_URL: other.url, HALLWAY_DATA_DIR: otherDir.dir }, DEADLINE_MS);
      ok(back, 'export of the import');
      expect(back.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(
        readFileSync(exported, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id),
      );
    } finally {
      await other.stop();
      otherDir.remove();
    }
  }, TEST_MS);

  it('rebuild', async () => {
    const r = await run(['rebuild']);
    ok(r, 'rebuild');
    expect(r.stdout + r.stderr).toMatch(/rebuilt \d+ projections/);
  }, TEST_MS);

  it('spread STORY_ID', async () => {
    const r = await run(['spread', 'story-vision-one-page']);
    ok(r, 'spread');
    expect(JSON.parse(r.stdout)).toBeTypeOf('object');
  }, TEST_MS);

  // one reading and one writing admin command, and the one that only explains: the admin commands
  // share one way in and out (open, act, close), and test/cli/admin.test.ts runs every one of them
  it('admin list-admins, grant (a write), setup-link', async () => {
    const list = await run(['admin', 'list-admins']);
    ok(list, 'admin list-admins');
    expect(list.stdout).toContain(adminEmail);
    const grant = await run(['admin', 'grant', 'celine.okonkwo@demo.hallway.example', 'curator']);
    ok(grant, 'admin grant');
    const setup = await run(['admin', 'setup-link']);
    expect(setup.hung).toBe(false);
  }, 4 * TEST_MS);

  it('a command against an EventStoreDB that is down fails with a message instead of hanging', async () => {
    const down = await EsdbWireServer.start();
    const url = down.url;
    await down.stop();
    const r = await runWithDeadline(['export'], { EVENTSTORE_URL: url, HALLWAY_DATA_DIR: dir.dir }, DEADLINE_MS);
    expect(r.hung).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hallway export: .*UNAVAILABLE/);
  }, TEST_MS);
});

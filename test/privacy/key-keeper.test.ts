import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeyFile } from '../../src/privacy/keys.ts';
import { remoteKeyStore, serveKeyKeeper } from '../../src/privacy/key-keeper.ts';
import { sealedStore } from '../../src/privacy/sealed-store.ts';
import { REMOVED_TEXT } from '../../src/privacy/markers.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { loadConfig } from '../../src/config.ts';
import { tempDir } from '../helpers.ts';

/*
 * The key keeper (`hallway keys serve`, docs/trust.md): one process owns keys.db and two Hallway
 * processes (here two sealing layers over one log) use it over HTTP with the stack's token.
 */
describe('key keeper', () => {
  const tmp = tempDir('hallway-keeper-');
  const TOKEN = 'a-test-token-of-some-length';
  const keysDb = join(tmp.dir, 'keeper', 'keys.db');
  let keeper: Awaited<ReturnType<typeof serveKeyKeeper>>;
  const local = openKeyFile(keysDb);
  beforeAll(async () => {
    keeper = await serveKeyKeeper(local, TOKEN, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await keeper.close();
    await local.close();
    tmp.remove();
  });

  it('refuses a wrong token, and needs HALLWAY_KEYS_TOKEN with HALLWAY_KEYS_URL', async () => {
    await expect(remoteKeyStore(keeper.url, 'not-the-token-at-all').keyFor('emp-x')).rejects.toThrow('the token was refused');
    expect(await local.open('emp-x')).toBeNull();
    expect(() => loadConfig({ HALLWAY_KEYS_URL: keeper.url })).toThrow('HALLWAY_KEYS_URL needs HALLWAY_KEYS_TOKEN');
  });

  it('serves one key per person to every process; an erasure in one forgets it for all, and keys.db keeps no copy', async () => {
    const log = join(tmp.dir, 'events.db');
    const a = sealedStore(openEmbeddedStore(log), remoteKeyStore(keeper.url, TOKEN));
    const b = sealedStore(openEmbeddedStore(log), remoteKeyStore(keeper.url, TOKEN));
    const meta = { at: '2025-01-01T00:00:00.000Z', actor: 'test' };
    try {
      await a.append('story-k1', [{ id: randomUUID(), type: 'StorySubmitted', data: { storyId: 'k1', title: 'Tangerine Keeper Story', body: 'Body of the keeper story', tellerId: 'emp-k', leader: 'Someone', occurredOn: '2024', themes: [], relation: 'witnessed', anonymous: false }, metadata: meta }]);
      const key = await local.open('emp-k');
      expect(key).not.toBeNull();
      expect(readFileSync(log).indexOf('Tangerine')).toBe(-1);
      // the other process opens it with the same key, from the keeper
      expect((await b.readStream('story-k1'))[0]!.data).toMatchObject({ title: 'Tangerine Keeper Story' });

      await a.append('employee-emp-k', [{ id: randomUUID(), type: 'PersonErased', data: { employeeId: 'emp-k' }, metadata: meta }]);
      expect(await local.forgotten('emp-k')).toBe(true);
      // b had the key in memory: its next read of the log meets PersonErased and drops it
      await b.readAll({ after: 0 });
      expect((await b.readStream('story-k1'))[0]!.data).toMatchObject({ title: REMOVED_TEXT, body: REMOVED_TEXT });
      expect(existsSync(keysDb) && readFileSync(keysDb).indexOf(key!)).toBe(-1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { eventStoreDBTarget, noSqlReason } from './eventstoredb-target.ts';
import { storeContract } from './store-contract.ts';
import type { ContractTarget } from './store-contract.ts';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/store/port.ts';
import { openKeyFile } from '../../src/privacy/keys.ts';
import { sealedStore } from '../../src/privacy/sealed-store.ts';
import { FORMER_COLLEAGUE, REMOVED_TEXT } from '../../src/privacy/markers.ts';
import { tempDir } from '../helpers.ts';

/*
 * The sealing layer is a decorator on the EventStore port: the shared store contract holds through
 * it over the EventStoreDB adapter (the in-process wire server; the embedded store behind the layer
 * is exercised by every test that opens a Hallway), and
 * over EventStoreDB the personal fields are ciphertext on the server and plain above the layer.
 */

const dirs: { remove(): void }[] = [];
const servers: Promise<EsdbWireServer>[] = [];
afterAll(async () => {
  for (const s of servers) await (await s).stop();
  for (const d of dirs) d.remove();
});

const keysDir = (): string => {
  const tmp = tempDir('hallway-sealed-');
  dirs.push(tmp);
  return tmp.dir;
};

/** a contract target whose store (and reopened store) is behind the sealing layer */
function sealed(make: () => Promise<ContractTarget>): () => Promise<ContractTarget> {
  return async () => {
    const target = await make();
    const keys = join(keysDir(), 'keys.db');
    let store: EventStore = sealedStore(target.store, openKeyFile(keys));
    return {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = sealedStore(await target.reopen(), openKeyFile(keys));
        return store;
      },
      appendElsewhere: (stream, batches, expected) => target.appendElsewhere(stream, batches, expected),
      ...(target.rawSql ? { rawSql: target.rawSql } : {}),
      async dispose() {
        await store.close();
      },
    };
  };
}

let server: Promise<EsdbWireServer> | undefined;
const wire = async (): Promise<EsdbWireServer> => {
  if (!server) {
    server = EsdbWireServer.start({ batchAppend: true });
    servers.push(server);
  }
  return server;
};

storeContract('sealed over the EventStoreDB wire server', sealed(async () => eventStoreDBTarget((await wire()).url)), { noSqlReason });

describe('sealing over the EventStoreDB adapter', () => {
  const meta = { at: '2024-05-01T10:00:00.000Z', actor: 'test' };
  const ev = (type: string, data: unknown): NewEvent => ({ id: randomUUID(), type, data, metadata: meta });

  it('stores ciphertext on the server, reads and subscribes plain, and reads markers once PersonErased is appended', async () => {
    const url = (await wire()).url;
    const raw = openEventStoreDB(url);
    const store = sealedStore(openEventStoreDB(url), openKeyFile(join(keysDir(), 'keys.db')));
    const emp = `emp-${randomUUID().slice(0, 8)}`;
    const story = `s-${randomUUID().slice(0, 8)}`;
    try {
      await store.append(`employee-${emp}`, [ev('EmployeeJoined', { employeeId: emp, name: 'Ottoline Wirebrook', email: 'ottoline.wirebrook@example.test', departmentId: 'd', joinedOn: '2020-01-01' })]);
      await store.append(`story-${story}`, [
        ev('StorySubmitted', { storyId: story, title: 'Cobalt Lanternfish Review', body: 'The lanternfish body text', tellerId: emp, leader: 'Prosper Gantry', occurredOn: '2024-01', themes: [], relation: 'witnessed', anonymous: false }),
        ev('StoryAmended', { storyId: story, body: 'An amended lanternfish paragraph', reason: 'typo' }),
      ]);
      const onServer = JSON.stringify([...(await raw.readStream(`employee-${emp}`)), ...(await raw.readStream(`story-${story}`))]);
      for (const words of ['Ottoline', 'wirebrook@', 'Cobalt Lanternfish', 'lanternfish body', 'Prosper Gantry', 'amended lanternfish']) expect(onServer).not.toContain(words);
      expect(onServer).toContain('"sealed"');

      const plain = await store.readStream(`story-${story}`);
      expect(plain[0]!.data).toMatchObject({ title: 'Cobalt Lanternfish Review', leader: 'Prosper Gantry', tellerId: emp });
      expect(plain[1]!.data).toEqual({ storyId: story, body: 'An amended lanternfish paragraph', reason: 'typo' });

      // a subscription delivers plain events, in order
      const got: RecordedEvent[] = [];
      const sub = store.subscribe(0, (e) => void (e.stream === `story-${story}` && got.push(e)));
      await sub.caughtUp;
      await sub.close();
      expect(got.find((e) => e.type === 'StoryAmended')?.data).toMatchObject({ body: 'An amended lanternfish paragraph' });

      await store.append(`employee-${emp}`, [ev('EmployeeLeft', { employeeId: emp }), ev('PersonErased', { employeeId: emp })]);
      const after = await store.readStream(`story-${story}`);
      expect(after[0]!.data).toMatchObject({ title: REMOVED_TEXT, body: REMOVED_TEXT, leader: REMOVED_TEXT, tellerId: emp });
      expect(after[1]!.data).toEqual({ storyId: story, body: REMOVED_TEXT, reason: 'typo' });
      const joined = (await store.readStream(`employee-${emp}`))[0]!;
      expect(joined.data).toEqual({ employeeId: emp, name: FORMER_COLLEAGUE, departmentId: 'd', joinedOn: '2020-01-01' });
      expect(await store.keys.forgotten(emp)).toBe(true);
    } finally {
      await raw.close();
      await store.close();
    }
  });
});

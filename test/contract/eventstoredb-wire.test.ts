import { afterAll } from 'vitest';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import { ConcurrencyError } from '../../src/store/port.ts';
import type { EventStore } from '../../src/store/port.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { storeContract } from './store-contract.ts';
import type { ContractTarget } from './store-contract.ts';

/*
 * The shared store contract, always run (no EVENTSTORE_URL needed) against the in-process
 * EventStoreDB wire server, once with BatchAppend advertised (the client appends through
 * Streams.BatchAppend) and once without (it falls back to Streams.Append). The run against a real
 * server stays in eventstoredb.test.ts, on EVENTSTORE_URL.
 */

const servers: Promise<EsdbWireServer>[] = [];

afterAll(async () => {
  for (const s of servers) await (await s).stop();
});

function wireTarget(batchAppend: boolean): () => Promise<ContractTarget> {
  let server: Promise<EsdbWireServer> | undefined;
  return async () => {
    if (!server) {
      server = EsdbWireServer.start({ batchAppend });
      servers.push(server);
    }
    const { url } = await server;
    let store: EventStore = openEventStoreDB(url);
    return {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = openEventStoreDB(url);
        return store;
      },
      // separate clients (separate gRPC connections) appending at once: the server arbitrates
      async appendElsewhere(stream, batches, expected) {
        const others = batches.map(() => openEventStoreDB(url));
        try {
          const results = await Promise.allSettled(others.map((o, i) => o.append(stream, batches[i]!, { expectedRevision: expected })));
          return results.map((r) => {
            if (r.status === 'fulfilled') return 'ok' as const;
            if (r.reason instanceof ConcurrencyError) return 'conflict' as const;
            throw r.reason;
          });
        } finally {
          await Promise.all(others.map((o) => o.close()));
        }
      },
      async dispose() {
        await store.close();
      },
    };
  };
}

const noSqlReason = 'EventStoreDB has no SQL; its log is append-only by construction';

storeContract('EventStoreDB wire server, BatchAppend advertised', wireTarget(true), { noSqlReason });
storeContract('EventStoreDB wire server, BatchAppend not advertised (Append)', wireTarget(false), { noSqlReason });

import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import { ConcurrencyError } from '../../src/store/port.ts';
import type { EventStore } from '../../src/store/port.ts';
import type { ContractTarget } from './store-contract.ts';

/** the contract's view of an EventStoreDB server at `url` (a real one, or the wire server) */
export async function eventStoreDBTarget(url: string): Promise<ContractTarget> {
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
}

export const noSqlReason = 'EventStoreDB has no SQL; its log is append-only by construction';

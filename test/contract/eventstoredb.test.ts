import { describe, it } from 'vitest';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import { ConcurrencyError } from '../../src/store/port.ts';
import type { EventStore } from '../../src/store/port.ts';
import { storeContract } from './store-contract.ts';

const url = process.env['EVENTSTORE_URL'];

if (url) {
  storeContract(
    `EventStoreDB at ${url}`,
    async () => {
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
    },
    { noSqlReason: 'EventStoreDB has no SQL; its log is append-only by construction' },
  );
} else {
  const reason = 'EVENTSTORE_URL is not set (start one with `docker-compose up eventstore` and set EVENTSTORE_URL=esdb://localhost:2113?tls=false)';
  console.warn(`!!! EventStoreDB contract run SKIPPED: ${reason}`);
  describe.skip(`EventStore contract: EventStoreDB — skipped because ${reason}`, () => {
    it('runs the contract suite against EventStoreDB', () => {});
  });
}

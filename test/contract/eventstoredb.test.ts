import { describe, it } from 'vitest';
import { eventStoreDBTarget, noSqlReason } from './eventstoredb-target.ts';
import { storeContract } from './store-contract.ts';

// A real EventStoreDB server, when one is given; the wire server runs always (eventstoredb-wire.test.ts).
const url = process.env['EVENTSTORE_URL'];

if (url) {
  storeContract(`EventStoreDB at ${url}`, () => eventStoreDBTarget(url), { noSqlReason });
} else {
  const reason = 'EVENTSTORE_URL is not set (start one with `docker-compose up eventstore` and set EVENTSTORE_URL=esdb://localhost:2113?tls=false)';
  console.warn(`!!! EventStoreDB contract run against a real server SKIPPED: ${reason}`);
  describe.skip(`EventStore contract: EventStoreDB — skipped because ${reason}`, () => {
    it('runs the contract suite against EventStoreDB', () => {});
  });
}

import { afterAll } from 'vitest';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { eventStoreDBTarget, noSqlReason } from './eventstoredb-target.ts';
import { storeContract } from './store-contract.ts';

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

/** one server per run, started by the first test that needs it */
function onWireServer(batchAppend: boolean): () => ReturnType<typeof eventStoreDBTarget> {
  let server: Promise<EsdbWireServer> | undefined;
  return async () => {
    if (!server) {
      server = EsdbWireServer.start({ batchAppend });
      servers.push(server);
    }
    return eventStoreDBTarget((await server).url);
  };
}

storeContract('EventStoreDB wire server, BatchAppend advertised', onWireServer(true), { noSqlReason });
storeContract('EventStoreDB wire server, BatchAppend not advertised (Append)', onWireServer(false), { noSqlReason });

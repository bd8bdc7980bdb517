import type { Config } from '../config.ts';
import { eventsFile } from '../config.ts';
import { openEmbeddedStore } from './embedded.ts';
import type { EventStore } from './port.ts';

/** EVENTSTORE_URL selects EventStoreDB; otherwise the embedded SQLite file in the data directory. */
export async function openStore(config: Config): Promise<EventStore> {
  if (config.eventstoreUrl) {
    const { openEventStoreDB } = await import('./eventstoredb.ts');
    return openEventStoreDB(config.eventstoreUrl);
  }
  return openEmbeddedStore(eventsFile(config));
}

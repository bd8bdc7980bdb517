import type { Config } from '../config.ts';
import { eventsFile, keysFile } from '../config.ts';
import { openKeyFile } from '../privacy/keys.ts';
import { remoteKeyStore } from '../privacy/key-keeper.ts';
import type { KeyStore } from '../privacy/keys.ts';
import { sealedStore } from '../privacy/sealed-store.ts';
import type { SealedStore } from '../privacy/sealed-store.ts';
import { openEmbeddedStore } from './embedded.ts';
import type { EventStore } from './port.ts';

/** EVENTSTORE_URL selects EventStoreDB; otherwise the embedded SQLite file in the data directory. */
export async function openRawStore(config: Config): Promise<EventStore> {
  if (config.eventstoreUrl) {
    const { openEventStoreDB } = await import('./eventstoredb.ts');
    return openEventStoreDB(config.eventstoreUrl);
  }
  return openEmbeddedStore(eventsFile(config));
}

/** The key store: a key keeper when HALLWAY_KEYS_URL says so, else keys.db beside the log (docs/trust.md). */
export function openKeyStore(config: Config): KeyStore {
  if (config.keysUrl) return remoteKeyStore(config.keysUrl, config.keysToken ?? '');
  return openKeyFile(keysFile(config));
}

/**
 * The store every Hallway command uses: the configured log behind the sealing layer, so personal
 * fields are sealed on append and opened on read (src/privacy/sealed-store.ts).
 */
export async function openStore(config: Config): Promise<SealedStore> {
  return sealedStore(await openRawStore(config), openKeyStore(config));
}

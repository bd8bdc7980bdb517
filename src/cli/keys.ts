import { keysFile, loadConfig } from '../config.ts';
import { openKeyFile } from '../privacy/keys.ts';
import { serveKeyKeeper } from '../privacy/key-keeper.ts';

/**
 * `hallway keys serve`: the key keeper for EventStoreDB deployments with several processes
 * (docs/trust.md). It owns keys.db in its data directory and listens on HALLWAY_KEYS_PORT
 * (default 3100); every request needs HALLWAY_KEYS_TOKEN as a bearer token.
 */
export async function keysCommand(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== 'serve') {
    process.stderr.write('usage: hallway keys serve   (HALLWAY_KEYS_TOKEN, HALLWAY_KEYS_PORT, HALLWAY_DATA_DIR)\n');
    return 2;
  }
  const token = process.env['HALLWAY_KEYS_TOKEN'] ?? '';
  if (token.length < 16) {
    process.stderr.write('hallway keys serve: set HALLWAY_KEYS_TOKEN (at least 16 characters), the token every Hallway process sends\n');
    return 2;
  }
  const port = Number(process.env['HALLWAY_KEYS_PORT'] ?? 3100);
  const config = loadConfig({ ...process.env, HALLWAY_KEYS_URL: '' });
  const keys = openKeyFile(keysFile(config));
  const keeper = await serveKeyKeeper(keys, token, port);
  console.log(`Hallway's key keeper is serving on port ${port} (keys in ${keysFile(config)})`);
  const shutdown = async (): Promise<void> => {
    await keeper.close();
    await keys.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await new Promise(() => {});
  return 0;
}

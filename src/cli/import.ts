import { runInBackground } from '../background.ts';
import { loadConfig } from '../config.ts';
import { ImportRefused, importFile } from '../importer.ts';
import { openStore } from '../store/open.ts';
import { progress } from './progress.ts';

const USAGE = 'usage: hallway import [--batch-size N] [--include-auth] FILE\n';

/**
 * `hallway import [--batch-size N] [--include-auth] FILE`: all or nothing; a bad line prints
 * `line N: reason` and exits 1. Credentials, sessions and API tokens are imported only with
 * --include-auth, and only into an archive that has none yet.
 */
export async function importCommand(args: string[]): Promise<number> {
  // a batch job: a `serve` on the same machine keeps answering while it runs
  runInBackground();
  let batchSize = 1000;
  const rest = [...args];
  const auth = rest.indexOf('--include-auth');
  const includeAuth = auth >= 0;
  if (includeAuth) rest.splice(auth, 1);
  const flag = rest.indexOf('--batch-size');
  if (flag >= 0) {
    batchSize = Number(rest[flag + 1]);
    rest.splice(flag, 2);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      process.stderr.write(USAGE);
      return 2;
    }
  }
  const [file, ...extra] = rest;
  if (!file || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const store = await openStore(loadConfig());
  const bar = progress('import');
  const started = Date.now();
  try {
    const r = await importFile(store, file, { batchSize, includeAuth, onProgress: (done, total) => bar.update(done, total) });
    bar.end();
    const secs = (Date.now() - started) / 1000;
    process.stderr.write(
      `imported ${r.appended} events from ${r.lines} lines (${r.skipped} already in the log) in ${secs.toFixed(1)} s\n`,
    );
    return 0;
  } catch (e) {
    bar.end();
    if (e instanceof ImportRefused) {
      process.stderr.write(`hallway import: ${e.message}\nnothing was imported\n`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}

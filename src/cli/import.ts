import { loadConfig } from '../config.ts';
import { ImportRefused, importFile } from '../importer.ts';
import { openStore } from '../store/open.ts';
import { progress } from './progress.ts';

/** `hallway import FILE`: all or nothing; a bad line prints `line N: reason` and exits 1. */
export async function importCommand(args: string[]): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) {
    process.stderr.write('usage: hallway import FILE\n');
    return 2;
  }
  const store = await openStore(loadConfig());
  const bar = progress('import');
  const started = Date.now();
  try {
    const r = await importFile(store, file, { onProgress: (done, total) => bar.update(done, total) });
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

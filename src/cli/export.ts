import { isAuthStream } from '../../events/auth.ts';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/open.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';

/** One JSONL line in EVENTS.md's shape (key order fixed, so exports diff cleanly). */
export const exportLine = (e: RecordedEvent): string =>
  JSON.stringify({ id: e.id, type: e.type, stream: e.stream, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata });

/** Writes the log in order; credential-, session- and apitoken- streams only with includeAuth. */
export async function exportEvents(store: EventStore, write: (chunk: string) => Promise<void>, opts: { includeAuth?: boolean } = {}): Promise<number> {
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 2000 });
    let chunk = '';
    for (const e of page) {
      if (!opts.includeAuth && isAuthStream(e.stream)) continue;
      chunk += exportLine(e) + '\n';
      count += 1;
    }
    if (chunk) await write(chunk);
    if (page.length < 2000) break;
    after = page[page.length - 1]!.position;
  }
  return count;
}

const writeStdout = (chunk: string): Promise<void> =>
  new Promise((resolve, reject) => {
    // wait for 'drain' when the pipe is full, so a large export does not pile up in memory
    if (process.stdout.write(chunk)) resolve();
    else {
      process.stdout.once('drain', resolve);
      process.stdout.once('error', reject);
    }
  });

/** `hallway export [--include-auth]` to standard output. */
export async function exportCommand(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--include-auth');
  if (unknown.length > 0) {
    process.stderr.write('usage: hallway export [--include-auth]\n');
    return 2;
  }
  const store = await openStore(loadConfig());
  try {
    const n = await exportEvents(store, writeStdout, { includeAuth: args.includes('--include-auth') });
    process.stderr.write(`exported ${n} events\n`);
    return 0;
  } finally {
    await store.close();
  }
}

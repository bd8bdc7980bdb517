import { randomUUID } from 'node:crypto';
import { isAuthStream } from '../../events/auth.ts';
import { commit } from '../command.ts';
import { cliActor } from './admin.ts';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/open.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';

/** One JSONL line in EVENTS.md's shape (key order fixed, so exports diff cleanly). */
export const exportLine = (e: RecordedEvent): string =>
  JSON.stringify({ id: e.id, type: e.type, stream: e.stream, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata });

/**
 * Writes the log in order; credential-, session- and apitoken- streams only with includeAuth.
 * Seals (LogSealed) are left out: they sign this archive's chain, and the archive an export is
 * imported into has its own chain and seals it itself.
 */
export async function exportEvents(store: EventStore, write: (chunk: string) => Promise<void>, opts: { includeAuth?: boolean } = {}): Promise<number> {
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 2000 });
    let chunk = '';
    for (const e of page) {
      if (!opts.includeAuth && isAuthStream(e.stream)) continue;
      if (e.type === 'LogSealed') continue;
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
    const includeAuth = args.includes('--include-auth');
    const n = await exportEvents(store, writeStdout, { includeAuth });
    process.stderr.write(`exported ${n} events\n`);
    await recordExport(store, n, includeAuth);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * The export goes into the admins' audit trail after it is written (so it is not in its own
 * output). A log that cannot be written to (a read-only copy, a backup) is still exported; the
 * operator is told that this one is not recorded.
 */
async function recordExport(store: EventStore, events: number, includeAuth: boolean): Promise<void> {
  const exportId = randomUUID();
  const detail = `${events} events${includeAuth ? ', sign-in streams included' : ''}`;
  try {
    await commit({ store, clock: () => new Date(), newId: randomUUID }, cliActor(), [
      { stream: `export-${exportId}`, events: [{ type: 'DataExported', data: { exportId, what: 'log-export', detail } }], expectedRevision: 'no_stream' },
    ]);
  } catch (e) {
    process.stderr.write(`note: this export is not in the audit trail (${(e as Error).message})\n`);
  }
}

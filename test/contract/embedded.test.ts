import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from '../../src/store/sqlite-driver.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { EventStore, ExpectedRevision, NewEvent } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';
import { storeContract } from './store-contract.ts';

const CHILD = join(import.meta.dirname, 'append-child.ts');

/** Starts one child process per batch, each with its own connection to `file`, then lets them all go at once. */
async function appendFromChildren(file: string, stream: string, batches: NewEvent[][], expected: ExpectedRevision): Promise<('ok' | 'conflict')[]> {
  const children = batches.map((events) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, stream, String(expected), JSON.stringify(events)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    return { child, lines };
  });
  for (const c of children) {
    const first = await c.lines.next();
    if (first.value !== 'ready') throw new Error(`child said ${String(first.value)}`);
  }
  for (const c of children) c.child.stdin!.write('go\n');
  const outcomes = await Promise.all(
    children.map(async (c) => {
      const line = await c.lines.next();
      await once(c.child, 'exit');
      const r = JSON.parse(String(line.value)) as { ok: boolean; conflict?: boolean; error?: string };
      if (r.ok) return 'ok' as const;
      if (r.conflict) return 'conflict' as const;
      throw new Error(`child failed: ${r.error}`);
    }),
  );
  return outcomes;
}

storeContract('embedded (SQLite)', async () => {
  const tmp = tempDir('hallway-contract-');
  const file = join(tmp.dir, 'events.db');
  let store: EventStore = openEmbeddedStore(file);
  return {
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = openEmbeddedStore(file);
      return store;
    },
    appendElsewhere: (stream, batches, expected) => appendFromChildren(file, stream, batches, expected),
    rawSql(sql) {
      const db = new Database(file);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    async dispose() {
      await store.close();
      tmp.remove();
    },
  };
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from '../../src/store/sqlite-driver.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../../bench/generate.ts';
import { importFile } from '../../src/importer.ts';
import { openStore } from '../../src/store/open.ts';
import { loadConfig } from '../../src/config.ts';
import { tempDir } from '../helpers.ts';
import { BIN } from './run-cli.ts';

const TOTAL = 20_000;
const BATCH = 200;

describe('kill -9 during hallway import', () => {
  const tmp = tempDir('hallway-kill-');
  afterAll(() => tmp.remove());

  it('leaves a log that opens and holds a prefix of whole batches, which a re-run completes', async () => {
    const lines = [...generateLog(TOTAL, 3)];
    const file = join(tmp.dir, 'big.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const dataDir = join(tmp.dir, 'data');
    const dbFile = join(dataDir, 'events.db');

    const child = spawn(process.execPath, [BIN, 'import', '--batch-size', String(BATCH), file], {
      env: { ...process.env, HALLWAY_DATA_DIR: dataDir, EVENTSTORE_URL: '' },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit');
    // watch the log from outside and kill the importer once some batches have landed
    let seen = 0;
    // generous: `hallway import` runs at a low CPU priority, slow on a busy machine
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        try {
          seen = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        // the importer has not created the file or the table yet
      }
      if (seen >= 5 * BATCH) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });

    const db = new Database(dbFile);
    const integrity = db.pragma('integrity_check', { simple: true });
    const ids = (db.prepare('SELECT id FROM events ORDER BY position').all() as { id: string }[]).map((r) => r.id);
    db.close();
    expect(integrity).toBe('ok');
    // killed in the middle, with whole batches only, and exactly the file's first events
    expect(ids.length).toBeGreaterThanOrEqual(5 * BATCH);
    expect(ids.length).toBeLessThan(TOTAL);
    expect(ids.length % BATCH).toBe(0);
    expect(ids).toEqual(lines.slice(0, ids.length).map((l) => l.id));

    // re-running the same import completes it (through the sealing layer, as the command does)
    const store = await openStore(loadConfig({ HALLWAY_DATA_DIR: dataDir }));
    try {
      const r = await importFile(store, file, { batchSize: 5000 });
      expect(r).toMatchObject({ lines: TOTAL, appended: TOTAL - ids.length, skipped: ids.length });
      const all = await store.readAll({ limit: TOTAL + 10 });
      expect(all.map((e) => e.id)).toEqual(lines.map((l) => l.id));
    } finally {
      await store.close();
    }
  }, 150_000);
});

import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import type { Config, LoadOptions } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { openHallway } from '../src/services.ts';
import type { OpenOptions } from '../src/services.ts';

/** The SQL sources `db.prepare` was given while `run` ran (the read path and projections should give none once warm). */
export async function preparedDuring(db: Database.Database, run: () => Promise<void>): Promise<string[]> {
  const prepare = db.prepare.bind(db);
  const prepared: string[] = [];
  db.prepare = ((source: string) => {
    prepared.push(source);
    return prepare(source);
  }) as typeof db.prepare;
  try {
    await run();
  } finally {
    db.prepare = prepare;
  }
  return prepared;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (for servers started in tests and benches). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = 'hallway-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real Hallway (embedded store on disk, projections, the HTTP app) over a fresh data directory. */
export async function testHallway(opts: OpenOptions & { env?: Record<string, string>; load?: LoadOptions } = {}) {
  const tmp = tempDir();
  const config: Config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000', ...(opts.env ?? {}) }, opts.load);
  const hallway = await openHallway(config, { log: () => {}, ...opts });
  const app = createApp(hallway);
  return {
    ...hallway,
    app,
    dir: tmp.dir,
    async dispose() {
      await hallway.close();
      tmp.remove();
    },
  };
}

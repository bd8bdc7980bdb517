import { runInBackground } from '../background.ts';
import { rmSync } from 'node:fs';
import { loadConfig, viewsFile } from '../config.ts';
import type { Config } from '../config.ts';
import { allProjections } from '../projections/index.ts';
import { BACKGROUND_BATCH, openViews, startProjections } from '../projections/runtime.ts';
import type { Projection, ProjectionStatus } from '../projections/runtime.ts';
import { openStore } from '../store/open.ts';
import { progress } from './progress.ts';

export interface RebuildReport {
  /** the log's head position when the rebuild started */
  head: number;
  seconds: number;
  status: ProjectionStatus[];
}

/**
 * Deletes views.db and replays the whole log through every projection. Stop `hallway serve` on the
 * same data directory first: it keeps its own handle on views.db.
 */
export async function rebuild(config: Config, projections: Projection[] = allProjections(), onProgress?: (done: number, head: number) => void): Promise<RebuildReport> {
  const file = viewsFile(config);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const store = await openStore(config);
  const views = openViews(file);
  const started = Date.now();
  try {
    const head = await store.headPosition();
    // a batch job: nothing waits on this event loop but the progress bar
    const runtime = await startProjections({ store, views, projections, batch: BACKGROUND_BATCH, ...(onProgress ? { onProgress } : {}) });
    await runtime.waitFor(head, 24 * 3600_000);
    const status = runtime.status();
    await runtime.close();
    return { head, seconds: (Date.now() - started) / 1000, status };
  } finally {
    views.close();
    await store.close();
  }
}

/** `hallway rebuild` */
export async function rebuildCommand(args: string[]): Promise<number> {
  if (args.length > 0) {
    process.stderr.write('usage: hallway rebuild\n');
    return 2;
  }
  const config = loadConfig();
  // a batch job: a `serve` of another data directory on the same machine keeps answering
  runInBackground();
  const bar = progress('rebuild');
  const r = await rebuild(config, allProjections(), (position, head) => bar.update(position, head));
  bar.end();
  const failed = r.status.filter((s) => s.failed);
  process.stderr.write(`rebuilt ${r.status.length} projections up to position ${r.head} in ${r.seconds.toFixed(1)} s\n`);
  for (const s of failed) process.stderr.write(`projection ${s.name} failed at position ${s.failed!.position}: ${s.failed!.error}\n`);
  return failed.length ? 1 : 0;
}

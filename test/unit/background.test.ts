import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

describe('runInBackground (the projection worker, import and rebuild)', () => {
  it.runIf(existsSync('/proc/thread-self'))('lowers the priority of the thread that calls it, not of the thread that serves (Linux only: per-thread priorities)', async () => {
    const before = getPriority();
    const worker = new Worker(new URL('../support/background-worker.mjs', import.meta.url));
    const workerNice = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(workerNice).toBeGreaterThanOrEqual(10);
    expect(getPriority()).toBe(before);
  });
});

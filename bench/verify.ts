/**
 * Tamper evidence (issue 13): `hallway verify` over a log of BENCH_VERIFY_EVENTS events (default
 * 1,000,000, the generated log of bench/generate.ts) in an embedded store on disk, with a seal at
 * every 1,000th event as `serve` makes them. The ceiling is reading the same log page by page
 * (what verify cannot do without); the row that matters is seconds per million events. Also the
 * chain keeper's catch-up over the same log (links, marks and seals recorded in views.db).
 * Run only it: npx tsx bench/run.ts verify
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent } from '../events/catalogue.ts';
import { SEAL_EVERY } from '../src/chain/keeper.ts';
import { keyIdOf } from '../src/chain/seal.ts';
import type { SealKey } from '../src/chain/seal.ts';
import { verifyStore } from '../src/cli/verify.ts';
import { startChainKeeper } from '../src/chain/keeper.ts';
import { openViews } from '../src/projections/runtime.ts';
import { openEmbeddedStore } from '../src/store/embedded.ts';
import type { BatchAppend, EventStore, RecordedEvent } from '../src/store/port.ts';
import { generateLog } from './generate.ts';
import type { Bench, BenchRow } from './types.ts';

const EVENTS = Number(process.env['BENCH_VERIFY_EVENTS'] ?? 1_000_000);

async function readEverything(store: EventStore, each: (e: RecordedEvent) => void): Promise<void> {
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: 5000 });
    for (const e of page) each(e);
    if (page.length < 5000) return;
    after = page[page.length - 1]!.position;
  }
}

export const verifyBench: Bench = {
  name: 'verify',
  description: `hallway verify over ${EVENTS.toLocaleString('en-US')} events (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start)`,
  async run(logLine) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-verify-'));
    const store = openEmbeddedStore(join(dir, 'events.db'), { synchronous: 'NORMAL' });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const key: SealKey = { privateKey, publicKey, keyId: keyIdOf(publicKey) };
    const keyDir = mkdtempSync(join(tmpdir(), 'hallway-bench-verify-key-'));
    const pub = join(keyDir, 'seal.pub');
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    try {
      // the log; the chain keeper below seals it at every 1,000th event as serve does
      const t0 = performance.now();
      let batch: BatchAppend[] = [];
      for (const l of generateLog(EVENTS, 7)) {
        const parsed = parseEvent(l.type, l.data, l.metadata.v ?? 1);
        if (!parsed.ok) throw new Error(parsed.error);
        batch.push({ stream: parsed.stream, events: [{ id: l.id, type: l.type, data: l.data, metadata: l.metadata }] });
        if (batch.length >= 5000) {
          await store.appendBatch(batch);
          batch = [];
        }
      }
      if (batch.length) await store.appendBatch(batch);
      logLine(`appended ${EVENTS.toLocaleString('en-US')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      // the chain keeper's catch-up: links, a mark per 1,000 and the seals, as serve does it
      const views = openViews(join(dir, 'views.db'));
      const tk = performance.now();
      const keeper = startChainKeeper({ store, views, sealKey: key, log: logLine });
      await keeper.caughtUp;
      const keeperMs = performance.now() - tk;
      await keeper.close();
      views.close();
      const sealed = Math.floor(EVENTS / SEAL_EVERY);
      logLine(`keeper caught up and sealed ${sealed} positions in ${(keeperMs / 1000).toFixed(1)} s`);

      // the ceiling: the same pages read, nothing computed
      const tr = performance.now();
      let read = 0;
      await readEverything(store, () => (read += 1));
      const readMs = performance.now() - tr;

      const tv = performance.now();
      const report = await verifyStore(store, { sealPublicKey: pub });
      const verifyMs = performance.now() - tv;
      if (report.problems.length) throw new Error(`verify found problems in the bench log: ${report.problems[0]!.message}`);
      logLine(`verify: ${report.events.toLocaleString('en-US')} events, ${report.seals} seals, last sealed ${report.lastSealed} in ${(verifyMs / 1000).toFixed(1)} s (plain read ${(readMs / 1000).toFixed(1)} s)`);
      const perMillion = (ms: number, n: number): number => ms / 1000 / (n / 1_000_000);
      const rows: BenchRow[] = [
        { measure: 'hallway verify (whole log)', value: (report.events * 1000) / verifyMs, unit: 'events/s', ceiling: { name: 'readAll pages, nothing computed', value: (read * 1000) / readMs } },
        { measure: 'hallway verify: seconds per million events', value: perMillion(verifyMs, report.events), unit: 's / 1M events' },
        { measure: 'chain keeper catch-up (links, marks, seals)', value: (EVENTS * 1000) / keeperMs, unit: 'events/s', ceiling: { name: 'readAll pages, nothing computed', value: (read * 1000) / readMs } },
      ];
      return rows;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(keyDir, { recursive: true, force: true });
    }
  },
};

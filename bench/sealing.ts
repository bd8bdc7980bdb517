/**
 * What sealing costs (docs/trust.md): the sealing layer over the embedded store against the same
 * store without it, on the same generated log. Sealing on append and opening on read, in µs per
 * sealed event (only EmployeeJoined, StorySubmitted and StoryAmended are sealed, never the
 * circulation events that make most of a log), and a projection rebuild through the layer against
 * a plain SELECT of the same file (the store bench's ceiling; the aim is 40%).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from '../src/store/sqlite-driver.ts';
import { definitionOf } from '../events/catalogue.ts';
import { openViews, startProjections } from '../src/projections/runtime.ts';
import { openEmbeddedStore } from '../src/store/embedded.ts';
import type { BatchAppend, EventStore } from '../src/store/port.ts';
import { openKeyFile } from '../src/privacy/keys.ts';
import { sealedStore } from '../src/privacy/sealed-store.ts';
import { SEALED_FIELDS } from '../src/privacy/sealed-fields.ts';
import { generateLog } from './generate.ts';
import type { Bench, BenchRow } from './types.ts';

const LOG_EVENTS = Number(process.env['BENCH_SEAL_EVENTS'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_SEAL_ROUNDS'] ?? 6);

const cpuMs = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

/** the generated log as import batches of 1,000, each on its type's stream */
function batches(): { items: BatchAppend[]; sealed: number } {
  const items: BatchAppend[] = [];
  let sealed = 0;
  let count = 0;
  for (const l of generateLog(LOG_EVENTS, 9)) {
    const def = definitionOf(l.type);
    const stream = def ? def.stream(l.data as never) : `x-${l.id}`;
    if (SEALED_FIELDS[l.type]) sealed += 1;
    const last = items[items.length - 1];
    const event = { id: l.id, type: l.type, data: l.data, metadata: l.metadata };
    if (last && last.stream === stream && count % 1000 !== 0) last.events.push(event);
    else items.push({ stream, events: [event], expectedRevision: 'any' });
    count += 1;
  }
  return { items, sealed };
}

async function appendAll(store: EventStore, items: BatchAppend[]): Promise<number> {
  const c = process.cpuUsage();
  for (let i = 0; i < items.length; i += 200) await store.appendBatch(items.slice(i, i + 200));
  return cpuMs(c);
}

async function readAll(store: EventStore): Promise<number> {
  const c = process.cpuUsage();
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 1000 });
    if (page.length < 1000) break;
    after = page[page.length - 1]!.position;
  }
  return cpuMs(c);
}

export const sealingBench: Bench = {
  name: 'sealing',
  description: 'the sealing layer (AES-256-GCM per event) over the embedded store, against the store without it',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-seal-'));
    try {
      const { items, sealed } = batches();
      log(`${LOG_EVENTS} events, ${sealed} of them sealed`);
      const rawFile = join(dir, 'raw.db');
      const sealedFile = join(dir, 'sealed.db');
      const raw = openEmbeddedStore(rawFile, { synchronous: 'NORMAL' });
      const keys = openKeyFile(join(dir, 'keys.db'));
      const sealedOne = sealedStore(openEmbeddedStore(sealedFile, { synchronous: 'NORMAL' }), keys);
      const appendRaw = await appendAll(raw, items);
      const appendSealed = await appendAll(sealedOne, items);
      log(`append: ${appendRaw.toFixed(0)} CPU-ms plain, ${appendSealed.toFixed(0)} CPU-ms sealed`);

      let readRaw = Infinity;
      let readSealed = Infinity;
      let rebuild = 0;
      let rebuildBare = 0;
      let plain = 0;
      const db = new Database(sealedFile, { readonly: true });
      const select = db.prepare<[number], { position: number; data: string }>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 10000');
      let sink = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        // the bare store over the SAME sealed file: the difference is the opening alone
        {
          const bare = openEmbeddedStore(sealedFile);
          readRaw = Math.min(readRaw, await readAll(bare));
          await bare.close();
        }
        // a fresh layer each round: keys come from keys.db once, as after a restart
        const reader = sealedStore(openEmbeddedStore(sealedFile), openKeyFile(join(dir, 'keys.db')));
        readSealed = Math.min(readSealed, await readAll(reader));
        {
          const c = process.cpuUsage();
          let n = 0;
          for (let after = 0; ; ) {
            const rows = select.all(after);
            for (const r of rows) sink += r.data.length;
            n += rows.length;
            if (rows.length < 10_000) break;
            after = rows[rows.length - 1]!.position;
          }
          plain = Math.max(plain, (n * 1000) / cpuMs(c));
        }
        // the same rebuild with and without the layer, over the same (sealed) file
        for (const layered of [false, true]) {
          const bare = openEmbeddedStore(sealedFile);
          const fresh = layered ? sealedStore(bare, openKeyFile(join(dir, 'keys.db'))) : bare;
          const views = openViews(join(dir, `views-${round}-${layered}.db`));
          let n = 0;
          const c = process.cpuUsage();
          const runtime = await startProjections({ store: fresh, views, projections: [{ name: 'bench-noop', version: 1, setup() {}, reset() {}, apply: () => void (n += 1) }], log });
          await runtime.caughtUp;
          const rate = (n * 1000) / cpuMs(c);
          if (layered) rebuild = Math.max(rebuild, rate);
          else rebuildBare = Math.max(rebuildBare, rate);
          await runtime.close();
          views.close();
          await fresh.close();
        }
        await reader.close();
        log(`round ${round}: readAll bare ${readRaw.toFixed(0)} CPU-ms, sealed ${readSealed.toFixed(0)} CPU-ms; rebuild ${rebuild.toFixed(0)} events/CPU-s (${rebuildBare.toFixed(0)} without the layer) vs SELECT ${plain.toFixed(0)}`);
      }
      db.close();
      await raw.close();
      await sealedOne.close();
      if (sink < 0) log('unreachable');
      const usPerSealed = (ms: number): number => (Math.max(0, ms) * 1000) / sealed;
      return [
        { measure: `sealing on append, per sealed event (${sealed} of ${LOG_EVENTS})`, value: usPerSealed(appendSealed - appendRaw), unit: 'µs' },
        { measure: `opening on read (readAll), per sealed event`, value: usPerSealed(readSealed - readRaw), unit: 'µs' },
        { measure: `readAll through the layer, per event of the log`, value: (readSealed * 1000) / LOG_EVENTS, unit: 'µs' },
        { measure: `projection rebuild through the sealing layer`, value: rebuild, unit: 'events/CPU-s', ceiling: { name: 'plain SELECT *', value: plain }, aim: 0.4 },
        { measure: `the same rebuild without the layer (same file)`, value: rebuildBare, unit: 'events/CPU-s', ceiling: { name: 'plain SELECT *', value: plain } },
        { measure: `rebuild through the layer vs without it`, value: rebuild, unit: 'events/CPU-s', ceiling: { name: 'rebuild without the layer', value: rebuildBare } },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

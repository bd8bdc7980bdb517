import { nameUuid } from './ids.ts';
import { readFileSync } from 'node:fs';
import { parseEvent, parseMetadata, upcast } from '../events/catalogue.ts';
import type { HallwayEvent } from '../events/catalogue.ts';
import { checkIntegrity, emptyIntegrity, evolveIntegrity } from './domain/integrity.ts';
import type { IntegrityState } from './domain/integrity.ts';
import type { BatchAppend, EventStore, NewEvent } from './store/port.ts';

/**
 * `hallway import`: JSONL lines in EVENTS.md's shape, all or nothing.
 *
 * 1. Fold the log into the referential-integrity state and the set of ids it holds.
 * 2. Validate every line (JSON, parseMetadata, parseEvent, integrity against the log plus the
 *    file's earlier lines). The first bad line refuses the whole file: nothing is appended.
 * 3. Append the new events in file order, in batches of `batchSize` events. Embedded: one
 *    transaction per batch, so a crash leaves a prefix of whole batches; EventStoreDB: one append
 *    per stream run. Either way, re-running the same import skips what is there and completes it.
 */

export class ImportRefused extends Error {
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'ImportRefused';
    this.line = line;
    this.reason = reason;
  }
}

export interface ImportOptions {
  /** events per atomic batch (embedded: per transaction) */
  batchSize?: number;
  /** called after each batch with events appended so far and the total to append */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  /** non-blank lines read */
  lines: number;
  appended: number;
  /** lines whose id the log (or an earlier line) already holds */
  skipped: number;
  /** global position of the last appended event, 0 when nothing was appended */
  position: number;
}

/** A missing id is derived from the line's content, so importing the same file twice adds nothing. */
export function derivedId(type: string, data: unknown, metadata: unknown): string {
  // UUID-shaped, so EventStoreDB accepts it as an event id
  return nameUuid(JSON.stringify([type, data, metadata]));
}

interface Loaded {
  ids: Set<string>;
  integrity: IntegrityState;
}

/** What the log already defines: its ids and its referential-integrity state. */
async function loadLog(store: EventStore): Promise<Loaded> {
  const ids = new Set<string>();
  const integrity = emptyIntegrity();
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 5000 });
    for (const e of page) {
      ids.add(e.id);
      // the log was validated when written; lift old versions so the fold sees today's shapes
      evolveIntegrity(integrity, { type: e.type, data: upcast(e.type, e.data, e.metadata.v ?? 1) } as HallwayEvent);
    }
    if (page.length < 5000) break;
    after = page[page.length - 1]!.position;
  }
  return { ids, integrity };
}

interface Planned {
  stream: string;
  event: NewEvent;
}

/** Validates every line; throws ImportRefused at the first bad one. */
export function planImport(lines: Iterable<string>, loaded: Loaded): { planned: Planned[]; lines: number; skipped: number } {
  const { ids, integrity } = loaded;
  const planned: Planned[] = [];
  let n = 0;
  let count = 0;
  let skipped = 0;
  for (const text of lines) {
    n += 1;
    if (text.trim() === '') continue;
    count += 1;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch (e) {
      throw new ImportRefused(n, `not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof line !== 'object' || line === null || Array.isArray(line)) throw new ImportRefused(n, 'not a JSON object');
    const { id, type, data, metadata } = line as Record<string, unknown>;
    if (typeof type !== 'string') throw new ImportRefused(n, 'type is required');
    if (data === undefined) throw new ImportRefused(n, 'data is required');
    if (typeof metadata !== 'object' || metadata === null) throw new ImportRefused(n, 'metadata with "at" is required');
    if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > 200)) throw new ImportRefused(n, 'id must be a non-empty string of at most 200 characters');
    const meta = parseMetadata(metadata);
    if (!meta.ok) throw new ImportRefused(n, meta.error);
    const parsed = parseEvent(type, data, meta.metadata.v ?? 1);
    if (!parsed.ok) throw new ImportRefused(n, parsed.error);
    const eventId = typeof id === 'string' ? id : derivedId(type, data, metadata);
    if (ids.has(eventId)) {
      skipped += 1;
      continue;
    }
    const refused = checkIntegrity(integrity, parsed.event);
    if (refused) throw new ImportRefused(n, `${type}: ${refused}`);
    evolveIntegrity(integrity, parsed.event);
    ids.add(eventId);
    // stored as given (data at its own version, metadata.v says which): upcasters lift it on read
    planned.push({ stream: parsed.stream, event: { id: eventId, type, data, metadata: meta.metadata } });
  }
  return { planned, lines: count, skipped };
}

/** Imports JSONL lines (the `hallway demo` command and tests call this). */
export async function importLines(store: EventStore, lines: Iterable<string>, opts: ImportOptions = {}): Promise<ImportReport> {
  const batchSize = opts.batchSize ?? 1000;
  const { planned, lines: count, skipped } = planImport(lines, await loadLog(store));
  let position = 0;
  for (let i = 0; i < planned.length; i += batchSize) {
    const slice = planned.slice(i, i + batchSize);
    // consecutive events of one stream go in one item; order across streams stays the file's
    const items: BatchAppend[] = [];
    for (const p of slice) {
      const last = items[items.length - 1];
      if (last && last.stream === p.stream) last.events.push(p.event);
      else items.push({ stream: p.stream, events: [p.event], expectedRevision: 'any' });
    }
    position = (await store.appendBatch(items)).position;
    opts.onProgress?.(Math.min(i + batchSize, planned.length), planned.length);
  }
  return { lines: count, appended: planned.length, skipped, position };
}

/** Imports a JSONL file into a store (or anything holding one, like the app's context). */
export async function importFile(target: EventStore | { store: EventStore }, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const store = 'store' in target ? target.store : target;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return importLines(store, lines, opts);
}

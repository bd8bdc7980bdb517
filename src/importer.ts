import { nameUuid } from './ids.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { currentVersion, definitionOf, parseEvent, parseMetadata, upcast } from '../events/catalogue.ts';
import { isAuthStream } from '../events/auth.ts';
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
  /**
   * import credentials, sessions and API tokens too (the mirror of `export --include-auth`); only
   * into an archive that has none yet. Without it such a line is refused.
   */
  includeAuth?: boolean;
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
  /** id -> its position in the log */
  ids: Map<string, number>;
  integrity: IntegrityState;
  /** fingerprints of the events at these positions (read only for lines that reuse logged ids) */
  printsAt(positions: number[]): Promise<Map<number, string>>;
}

/** JSON with sorted keys: two lines with the same content give the same text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const fingerprint = (type: string, data: unknown, metadata: unknown): string =>
  createHash('sha256').update(canonical([type, data, metadata])).digest('base64');

/** EVENTS.md: an optional field given as null counts as absent (a required one is then missing). */
function withoutNulls(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  // fromEntries defines own keys: a "__proto__" key stays a key (and is refused), never a prototype
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
}

const METADATA_KEYS = new Set(['at', 'actor', 'v']);
const shownKey = (k: string): string => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);

const knownKeys = new Map<string, Set<string> | null>();

/** Keys of `data` (at its current version) that its type does not define. */
function unknownKeys(type: string, lifted: unknown): string[] {
  let known = knownKeys.get(type);
  if (known === undefined) {
    const shape = (definitionOf(type)?.schema as { shape?: Record<string, unknown> } | undefined)?.shape;
    known = shape ? new Set(Object.keys(shape)) : null;
    knownKeys.set(type, known);
  }
  if (!known || lifted === null || typeof lifted !== 'object') return [];
  return Object.keys(lifted).filter((k) => !known.has(k));
}

/** What the log already defines: its ids and its referential-integrity state. */
async function loadLog(store: EventStore): Promise<Loaded> {
  const ids = new Map<string, number>();
  const integrity = emptyIntegrity();
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 5000 });
    for (const e of page) {
      ids.set(e.id, e.position);
      // the log was validated when written; lift old versions so the fold sees today's shapes
      evolveIntegrity(integrity, { type: e.type, data: upcast(e.type, e.data, e.metadata.v ?? 1) } as HallwayEvent);
    }
    if (page.length < 5000) break;
    after = page[page.length - 1]!.position;
  }
  const printsAt = async (positions: number[]): Promise<Map<number, string>> => {
    const wanted = new Set(positions);
    const out = new Map<number, string>();
    // one pass from the first wanted position: a re-import of a big file reads the log once
    let from = Math.min(...positions) - 1;
    const last = Math.max(...positions);
    while (from < last) {
      const page = await store.readAll({ after: from, limit: 5000 });
      for (const e of page) if (wanted.has(e.position)) out.set(e.position, fingerprint(e.type, e.data, e.metadata));
      if (page.length < 5000) break;
      from = page[page.length - 1]!.position;
    }
    return out;
  };
  return { ids, integrity, printsAt };
}

interface Planned {
  stream: string;
  event: NewEvent;
}

/** Validates every line; throws ImportRefused at the first bad one. */
export async function planImport(lines: Iterable<string>, loaded: Loaded, opts: { includeAuth?: boolean } = {}): Promise<{ planned: Planned[]; lines: number; skipped: number }> {
  const { ids, integrity } = loaded;
  // an archive that already holds credentials, sessions or tokens takes no more from a file
  const authAllowed = opts.includeAuth === true && !integrity.hasAuth;
  // fingerprints are computed only when an id comes back: most imports have no repeats
  const fileIds = new Map<string, { line: number; type: string; data: unknown; metadata: unknown }>();
  const planned: Planned[] = [];
  const inLog: { line: number; id: string; position: number; print: string }[] = [];
  let n = 0;
  let count = 0;
  let skipped = 0;
  let refused: ImportRefused | null = null;
  try {
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
      const { id, type } = line as Record<string, unknown>;
      const data = withoutNulls((line as Record<string, unknown>)['data']);
      const metadata = withoutNulls((line as Record<string, unknown>)['metadata']);
      if (typeof type !== 'string') throw new ImportRefused(n, 'type is required');
      if (data === undefined || data === null) throw new ImportRefused(n, 'data is required');
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new ImportRefused(n, 'metadata with "at" is required');
      if (id !== undefined && id !== null && (typeof id !== 'string' || id.length === 0 || id.length > 200)) throw new ImportRefused(n, 'id must be a non-empty string of at most 200 characters');
      const extraMeta = Object.keys(metadata).filter((k) => !METADATA_KEYS.has(k));
      if (extraMeta.length) throw new ImportRefused(n, `metadata has unknown key(s) ${extraMeta.slice(0, 3).map(shownKey).join(', ')} (known: at, actor, v)`);
      const meta = parseMetadata(metadata);
      if (!meta.ok) throw new ImportRefused(n, meta.error);
      if (meta.metadata.actor !== undefined && meta.metadata.actor.length > 200) throw new ImportRefused(n, 'metadata.actor must be at most 200 characters');
      const definition = definitionOf(type);
      if (!definition) throw new ImportRefused(n, `unknown event type ${JSON.stringify(type.slice(0, 60))}`);
      // a seal signs the chain of the archive that made it; an imported log has another chain
      if (type === 'LogSealed') throw new ImportRefused(n, 'LogSealed: seals belong to the archive that made them (an import is sealed by the archive it goes into); leave them out');
      const version = meta.metadata.v ?? 1;
      if (version > currentVersion(type)) throw new ImportRefused(n, `metadata.v ${version} is not a known version of ${type} (the newest is ${currentVersion(type)})`);
      const parsed = parseEvent(type, data, version);
      if (!parsed.ok) throw new ImportRefused(n, parsed.error);
      const extra = unknownKeys(type, upcast(type, data, version));
      if (extra.length) throw new ImportRefused(n, `${type}: data has unknown key(s) ${extra.slice(0, 3).map(shownKey).join(', ')}`);
      const eventId = typeof id === 'string' ? id : derivedId(type, data, metadata);
      const earlier = fileIds.get(eventId);
      if (earlier) {
        if (fingerprint(earlier.type, earlier.data, earlier.metadata) !== fingerprint(type, data, meta.metadata)) {
          throw new ImportRefused(n, `id ${eventId} appears on line ${earlier.line} with different content`);
        }
        skipped += 1;
        continue;
      }
      fileIds.set(eventId, { line: n, type, data, metadata: meta.metadata });
      const logged = ids.get(eventId);
      if (logged !== undefined) {
        // compared with the log after the loop, in one read
        inLog.push({ line: n, id: eventId, position: logged, print: fingerprint(type, data, meta.metadata) });
        skipped += 1;
        continue;
      }
      // an id already there with this content was skipped above: re-importing an export is a no-op
      if (isAuthStream(parsed.stream)) {
        if (opts.includeAuth !== true) throw new ImportRefused(n, `${type} is a credential, session or API token: import it only with --include-auth`);
        if (!authAllowed) throw new ImportRefused(n, `${type}: the archive already holds credentials, sessions or API tokens; --include-auth imports them only into an archive that has none`);
      }
      const problem = checkIntegrity(integrity, parsed.event);
      if (problem) throw new ImportRefused(n, `${type}: ${problem}`);
      evolveIntegrity(integrity, parsed.event);
      // stored as given (data at its own version, metadata.v says which): upcasters lift it on read
      planned.push({ stream: parsed.stream, event: { id: eventId, type, data, metadata: meta.metadata } });
    }
  } catch (e) {
    if (!(e instanceof ImportRefused)) throw e;
    refused = e;
  }
  // the first refusal by line: a logged id with other content may come before the loop's refusal
  const check = inLog.filter((x) => refused === null || x.line < refused.line);
  if (check.length) {
    const prints = await loaded.printsAt(check.map((x) => x.position));
    const differs = check.find((x) => prints.get(x.position) !== x.print);
    if (differs) throw new ImportRefused(differs.line, `id ${differs.id} is in the log with different content`);
  }
  if (refused) throw refused;
  return { planned, lines: count, skipped };
}

/** Imports JSONL lines (the `hallway demo` command and tests call this). */
export async function importLines(store: EventStore, lines: Iterable<string>, opts: ImportOptions = {}): Promise<ImportReport> {
  const batchSize = opts.batchSize ?? 1000;
  const { planned, lines: count, skipped } = await planImport(lines, await loadLog(store), { includeAuth: opts.includeAuth ?? false });
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
    // leave the write lock free a moment: a running `serve` appends between two batches
    if (i + batchSize < planned.length) await new Promise((r) => setTimeout(r, 1));
    opts.onProgress?.(Math.min(i + batchSize, planned.length), planned.length);
  }
  return { lines: count, appended: planned.length, skipped, position };
}

/** Imports a JSONL file into a store (or anything holding one, like the app's context). */
export async function importFile(target: EventStore | { store: EventStore }, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const store = 'store' in target ? target.store : target;
  return importLines(store, decodeLines(readFileSync(path)), opts);
}

/**
 * Splits a file's bytes into lines and decodes each as strict UTF-8: invalid bytes refuse the
 * file with the line's number instead of being replaced silently.
 */
export function decodeLines(bytes: Uint8Array): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lines: string[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      lines.push(decoder.decode(bytes.subarray(start, end)));
    } catch {
      throw new ImportRefused(lines.length + 1, 'is not valid UTF-8');
    }
    start = end + 1;
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  return lines;
}

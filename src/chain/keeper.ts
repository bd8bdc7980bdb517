/**
 * The chain keeper: follows the log as stored (the raw store, below any sealing layer), keeps the
 * chain's tables in views.db (tables.ts) and, when a seal key is configured, seals the log:
 * - at every 1,000th position (the 1,000th, 2,000th, … event of the log);
 * - at the head, when the last seal is older than a day and events have come since.
 * Each seal goes to `seal-{position}` with `no_stream` and an id derived from the position, so
 * processes that race to seal one position make one seal; the loser's conflict is expected.
 * It runs beside the projections (serve's worker thread, or the thread that opened Hallway), on
 * the same views.db connection, so it never waits on another writer of that file in this process.
 */
import { sealStream } from '../../events/seals.ts';
import { LogSealed } from '../../events/seals.ts';
import type { Views } from '../projections/runtime.ts';
import { ConcurrencyError } from '../store/port.ts';
import type { EventStore, RecordedEvent, Subscription } from '../store/port.ts';
import { GENESIS, nextLink } from './link.ts';
import { makeSeal, sealEventId } from './seal.ts';
import type { SealData, SealKey } from './seal.ts';
import { CHAIN_TABLES_VERSION, chainQueries } from './tables.ts';

export const SEAL_EVERY = 1000;
const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

export interface KeeperOptions {
  /** the store as stored: the chain covers what it returns */
  store: EventStore;
  views: Views;
  /** no key: the keeper keeps the tables but does not seal */
  sealKey?: SealKey;
  clock?: () => Date;
  log?: (message: string) => void;
  /** how often the keeper looks whether the head needs its daily seal (ms) */
  checkEveryMs?: number;
  /**
   * Awaited every GIVE_WAY_EVERY events with the position of the next one: beside the projections
   * on one thread (serve's worker), the runtime's afterMainLane, so that during a large import the
   * keeper hashes what the pages' read models have applied, and does not take their time.
   */
  giveWay?: (position: number) => Promise<void>;
}

/** events the keeper chains between two calls of giveWay */
export const GIVE_WAY_EVERY = 1000;

export interface ChainKeeper {
  /** resolves once the keeper has followed the log as it was when it started */
  readonly caughtUp: Promise<void>;
  /** the last position (ordinal) it has chained, and the link there */
  head(): { ordinal: number; position: number; link: Buffer };
  /** seals the head now when events have come since the last seal (the daily seal does this) */
  sealHead(): Promise<SealData | undefined>;
  close(): Promise<void>;
}

export function startChainKeeper(opts: KeeperOptions): ChainKeeper {
  const { store, views: db } = opts;
  const clock = opts.clock ?? (() => new Date());
  const log = opts.log ?? ((m: string) => console.error(m));
  const q = chainQueries(db);
  const setState = db.prepare('INSERT INTO chain_state (one, version, ordinal, position, link, last_content) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(one) DO UPDATE SET version = excluded.version, ordinal = excluded.ordinal, position = excluded.position, link = excluded.link, last_content = excluded.last_content');
  const addMark = db.prepare('INSERT OR REPLACE INTO chain_marks (ordinal, position, link) VALUES (?, ?, ?)');
  const addSeal = db.prepare('INSERT OR IGNORE INTO chain_seals (up_to, chain_hash, key_id, signature, sealed_at, ordinal, position) VALUES (?, ?, ?, ?, ?, ?, ?)');

  let saved = q.state.get();
  if (saved && saved.version !== CHAIN_TABLES_VERSION) {
    db.exec('DELETE FROM chain_state; DELETE FROM chain_marks; DELETE FROM chain_seals;');
    saved = undefined;
  }
  let ordinal = saved?.ordinal ?? 0;
  let position = saved?.position ?? 0;
  let link: Buffer = saved ? Buffer.from(saved.link) : GENESIS;
  const latest = q.latestSeal.get();
  let lastSeal = latest ? { upTo: latest.upToPosition, at: Date.parse(latest.sealedAt) } : undefined;
  /** the last event that is not itself a seal: a head with only seals after the last seal needs none */
  let lastContent = saved?.lastContent ?? 0;

  let marks: [number, number, Buffer][] = [];
  let seals: [number, string, string, string, string, number, number][] = [];
  let dirty = false;
  let flushScheduled = false;
  /**
   * Records pending marks and seals, with the state. Only when there are rows to record (about one
   * write per 1,000 events), or when `always` (caught up, closing): every write to views.db moves
   * its version, which drops what pages keep (src/read/kept.ts), so the keeper must not write per
   * event. After a crash it re-chains from the last recorded state: at most about 1,000 events.
   */
  const flush = (always = false): void => {
    flushScheduled = false;
    if (!dirty || (!always && marks.length + seals.length === 0)) return;
    try {
      db.transaction(() => {
        for (const r of marks) addMark.run(...r);
        for (const r of seals) addSeal.run(...r);
        setState.run(CHAIN_TABLES_VERSION, ordinal, position, link, lastContent);
      }).immediate();
    } catch (e) {
      // kept for the next flush (views.db busy, say); the tables are a cache, the log is intact
      log(`chain: recording the chain failed at position ${ordinal}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    marks = [];
    seals = [];
    dirty = false;
  };

  const appendSeal = async (upTo: number, at: Buffer): Promise<SealData | undefined> => {
    if (!opts.sealKey) return undefined;
    const seal = makeSeal(opts.sealKey, upTo, at.toString('hex'));
    try {
      const at = clock();
      await store.append(sealStream(upTo), [{ id: sealEventId(upTo), type: 'LogSealed', data: seal, metadata: { at: at.toISOString(), actor: 'system' } }], { expectedRevision: 'no_stream' });
      // known at once, not only when the keeper reads it back: the daily check must not seal again
      if (!lastSeal || upTo >= lastSeal.upTo) lastSeal = { upTo, at: at.getTime() };
      return seal;
    } catch (e) {
      // another process sealed this position first: one seal, as intended
      if (e instanceof ConcurrencyError) return undefined;
      log(`chain: sealing position ${upTo} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  let sinceGiveWay = 0;
  const onEvent = (e: RecordedEvent): Promise<void> | void => {
    if (opts.giveWay && ++sinceGiveWay >= GIVE_WAY_EVERY) {
      sinceGiveWay = 0;
      return opts.giveWay(e.position).then(() => chain(e));
    }
    return chain(e);
  };
  const chain = (e: RecordedEvent): Promise<void> | void => {
    ordinal += 1;
    position = e.position;
    link = nextLink(link, ordinal, e);
    dirty = true;
    let sealNow = false;
    if (ordinal % SEAL_EVERY === 0) {
      marks.push([ordinal, e.position, link]);
      sealNow = !!opts.sealKey;
    }
    if (e.type === 'LogSealed') {
      const parsed = LogSealed.schema.safeParse(e.data);
      if (parsed.success) {
        const d = parsed.data;
        seals.push([d.upToPosition, d.chainHash, d.keyId, d.signature, e.metadata.at, ordinal, e.position]);
        const at = Date.parse(e.metadata.at);
        if (!lastSeal || d.upToPosition >= lastSeal.upTo) lastSeal = { upTo: d.upToPosition, at: Number.isNaN(at) ? 0 : at };
      }
    } else lastContent = ordinal;
    if (sealNow) {
      flush();
      const upTo = ordinal;
      return appendSeal(upTo, link).then(() => undefined);
    }
    if (marks.length + seals.length > 1000) flush();
    else if (!flushScheduled && marks.length + seals.length > 0) {
      flushScheduled = true;
      setImmediate(() => flush());
    }
  };

  let closed = false;
  const sub: Subscription = store.subscribe(position, onEvent, (err) => log(`chain: the keeper stopped: ${err instanceof Error ? err.message : String(err)}`));
  const caughtUp = sub.caughtUp.then(() => flush(true));
  caughtUp.catch(() => {});

  let sealing: Promise<SealData | undefined> | undefined;
  const sealHead = (): Promise<SealData | undefined> => {
    // one head seal at a time in this process
    sealing ??= (async () => {
      flush();
      if (ordinal === 0 || !(lastContent > (lastSeal?.upTo ?? 0))) return undefined;
      return appendSeal(ordinal, link);
    })().finally(() => (sealing = undefined));
    return sealing;
  };
  const dailyCheck = (): void => {
    if (closed || !opts.sealKey) return;
    if (lastSeal && clock().getTime() - lastSeal.at < DAY_MS) return;
    void sealHead();
  };
  let timer: NodeJS.Timeout | undefined;
  if (opts.sealKey) {
    void caughtUp.then(dailyCheck, () => {});
    timer = setInterval(dailyCheck, opts.checkEveryMs ?? HOUR_MS);
    timer.unref();
  }

  return {
    caughtUp,
    head: () => ({ ordinal, position, link }),
    sealHead,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await sub.close();
      await sealing;
      flush(true);
    },
  };
}

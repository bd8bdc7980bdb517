import type { Views } from '../projections/runtime.ts';

/**
 * In-memory views databases made for past dates (the search model at a cut, src/asof/search-cut.ts;
 * the stories and org models at a cut, src/asof/timeline-cut.ts), kept by key (date, cut, erasures
 * seen). A database being made is waited for by whoever asks for it meanwhile, so it is made once.
 * At most `maxCuts` within `maxBytes` together, least recently used out: an in-memory database holds
 * all its pages, so these bound the memory they take. One being read when let go is closed by its
 * last reader. A cut stays right while the live read models move on: the events appended later are
 * after it.
 */
interface Kept<S> {
  value: S | undefined;
  db: Views | undefined;
  ready: Promise<void>;
  bytes: number;
  /** requests reading it now: never closed under them */
  users: number;
}

const bytesOf = (db: Views): number => (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

export class KeptCuts<S> {
  private readonly kept = new Map<string, Kept<S>>();
  /** moves on close: a database whose making began before is closed when made, not kept */
  private generation = 0;

  constructor(
    private readonly maxCuts: number,
    private readonly maxBytes: number,
  ) {}

  /** Reads the cut under `key`, made by `make` first when it is not kept; `made` says whether this call made it. */
  async use<T>(key: string, make: () => Promise<Views>, wrap: (db: Views) => S, read: (value: S) => T | Promise<T>): Promise<{ value: T; made: boolean }> {
    let entry = this.kept.get(key);
    const made = !entry;
    if (entry) this.kept.delete(key);
    else {
      const e: Kept<S> = { value: undefined, db: undefined, ready: Promise.resolve(), bytes: 0, users: 0 };
      const generation = this.generation;
      e.ready = make().then((db) => {
        e.db = db;
        e.value = wrap(db);
        e.bytes = bytesOf(db);
        if (generation !== this.generation && e.users === 0) db.close();
      });
      entry = e;
    }
    this.kept.set(key, entry);
    const kept = entry;
    kept.users += 1;
    try {
      try {
        await kept.ready;
      } catch (err) {
        if (this.kept.get(key) === kept) this.kept.delete(key);
        throw err;
      }
      this.evict(kept);
      return { value: await read(kept.value!), made };
    } finally {
      kept.users -= 1;
      if (kept.users === 0 && this.kept.get(key) !== kept) kept.db?.close();
    }
  }

  private evict(keep: Kept<S>): void {
    let total = 0;
    for (const e of this.kept.values()) total += e.bytes;
    for (const [k, e] of this.kept) {
      if (total <= this.maxBytes && this.kept.size <= this.maxCuts) break;
      if (e === keep) continue;
      this.kept.delete(k);
      total -= e.bytes;
      if (e.users === 0) e.db?.close();
    }
  }

  /** Cuts kept and the bytes their databases hold (for tests and the bench). */
  size(): { cuts: number; bytes: number } {
    let bytes = 0;
    for (const e of this.kept.values()) bytes += e.bytes;
    return { cuts: this.kept.size, bytes };
  }

  /** Lets go of every cut (an erasure, or closing): those being read are closed by their last reader. */
  close(): void {
    this.generation += 1;
    for (const e of this.kept.values()) if (e.users === 0) e.db?.close();
    this.kept.clear();
  }
}

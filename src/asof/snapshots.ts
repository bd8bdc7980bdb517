import Database from '../store/sqlite-driver.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upcast } from '../../events/catalogue.ts';
import { allProjections } from '../projections/index.ts';
import { spreadProjection } from '../projections/spread.ts';
import { openViews } from '../projections/runtime.ts';
import type { ProjectedEvent, Projection, Runtime, Views } from '../projections/runtime.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';
import type { AsOfDate } from './date.ts';
import { checkpointsOf, cutIsPrefix, erasuresSeen, firstOutOfDays, logOrderProjection, readOrder, wholeLogBefore } from './log-order.ts';
import type { AtOrder } from './log-order.ts';
import { firstOutside, StreamPositionsUnknown } from './cut.ts';
import { partEvents, partStories } from './story-cut.ts';
import type { PagePart } from './story-cut.ts';
import type { Cut } from './cut.ts';
import { TIMELINE_BYTES, TIMELINE_CUTS_KEPT, timelinesAtCut } from './timeline-cut.ts';
import { KeptCuts } from './kept-cuts.ts';
import { canCutSearch, erasuresIn, SEARCH_CUT_BYTES, SEARCH_CUTS_KEPT, searchAtCut } from './search-cut.ts';

/**
 * The archive as it stood on a date: read models built by the real projections (the same
 * `allProjections()` views.db is built with) into a temporary in-memory views database, from the
 * events whose `metadata.at` is before the date's cutoff (the next UTC midnight), in log order.
 * A page read from it is therefore, by construction, the page a fresh Hallway would show if its
 * log held only those events (test/http/as-of.test.ts checks it on random logs).
 *
 * The rule is "every event whose `at` is before the cutoff", not "the log up to the first event at
 * or after the cutoff": `at` need not grow with log order (an import of older history appends
 * events with earlier `at` after later ones), so an event far down the log with an early `at` is
 * in, and an event early in the log with a late `at` is out, while the kept events stay in log
 * order. Projections already cope with an event that names something the log does not hold (an
 * import may carry one), which is what such a cut can produce.
 *
 * A snapshot is kept up to date as the log grows: each use first applies the events appended
 * since (those before the cutoff; today's snapshot takes everything new), which is exactly what a
 * rebuild of the longer truncated log would do. Snapshots are kept by date, least recently used
 * first out, within a byte budget and a number of dates. Each snapshot is a temporary SQLite file
 * (a directory of its own under the system's temporary directory, removed when the snapshot is
 * evicted or closed) with a page cache of CACHE_MB. Memory therefore stays bounded whatever the
 * size of the log: per date kept, its page cache (CACHE_MB) and what pages keep computed from it
 * (src/read/kept.ts: at most about 32 MB, usually far less), so at most `maxSnapshots` × 48 MB
 * (4 × 48 MB by default), plus snapshots still being read when evicted; disk by `maxBytes` plus
 * the snapshots in use.
 *
 * Six shortcuts, all exact, all decided on what the `asof-order` projection keeps of the order of
 * `at` along the log (src/asof/log-order.ts), read from the live views.db:
 * - a date whose cutoff is after every event's `at` (the last day of a quiet archive, today) is the
 *   whole log: its pages are read from the live read models themselves, through a read-only
 *   connection in one read transaction, in which the facts are checked too (so an event appended
 *   meanwhile, with a later `at`, cannot slip into the page). Nothing is built; no memory but that
 *   connection's page cache (CACHE_MB).
 * - when the date's cut is a prefix of the log (`at` never goes back across the cutoff) and the
 *   page can read what it shows at the cut (`use(…, { cut: true })`: one story's spread,
 *   src/asof/cut.ts; the dashboard, every window, and its CSV tables, src/asof/dashboard-cut.ts,
 *   from what the spread model keeps by log position), it is read from the live read models in the
 *   same read transaction, with the cut (where the log's first event left out is: a binary search)
 *   on the snapshot handed to it. Nothing is built; per date kept (at most CUTS_KEPT) a few numbers
 *   and the org at the cut, and for the dashboard what src/asof/dashboard-cut.ts keeps (4 cuts, 4
 *   figure sets, and the edge log on the reading connection: 32 MB at two million exposures).
 * - when the date's cut is a prefix of the log and the page is one story's (`use(…, { part })`),
 *   the real projections the page reads are run over that page's part of the cut
 *   (src/asof/story-cut.ts: the story's family's streams, the people they name, departments,
 *   themes, the review setting, cut at the first event left out) into a small
 *   in-memory views database, and the page reads it. Kept per date, cut and page: at most `maxParts`
 *   (STORIES_KEPT) within STORY_BYTES (64 MiB) together, least recently used out, plus one being read
 *   when evicted; each holds only its part (0.2 MiB for a story of 250 events, 1.9 MiB for one of
 *   23,600 at the bench's two million exposures).
 * - when the date's cut is a prefix of the log and the page is a timeline (`use(…, { timeline })`:
 *   /timelines, a theme's, a leader's, a person's, a department's; any size, any page, htmx's
 *   "more" items), the stories and org models as they stood at the cut are materialized from the
 *   live read models, in the same read transaction, into a small in-memory views database
 *   (src/asof/timeline-cut.ts: the stories model keeps what changes after telling by log
 *   position), once per date and cut, and the real timeline routes read it. Kept: at most
 *   TIMELINE_CUTS_KEPT (4) cuts within TIMELINE_BYTES (256 MiB) together, least recently used out,
 *   plus one being read when evicted; each holds the stories told before the cut, their themes and
 *   the org (14 MiB for three cuts of 20,000 stories in the bench).
 * - when the date's cut is a prefix of the log and the page is `/search` (`use(…, { search: true })`),
 *   the search model at the cut is made from the live search tables, which keep each change with its
 *   log position (src/asof/search-cut.ts), into a small in-memory views database with its own
 *   full-text index of the cut's documents, and the real search route reads it. Kept per date, cut
 *   and erasures seen: at most SEARCH_CUTS_KEPT (4) within SEARCH_CUT_BYTES (128 MiB) together, least
 *   recently used out, plus one being read when evicted.
 * - when the date's cut is a prefix of the log, building stops at the first event at or after the
 *   cutoff: the rest of the log is not read. Otherwise (an import of older history after newer
 *   events) the whole log is read, as described above: only such dates are built in full.
 */

export interface Snapshot {
  readonly asOf: AsOfDate;
  readonly db: Views;
  /** the last log position read (kept or not) */
  through: number;
  /**
   * Set when `db` is the live read models and the date's cut is a prefix of the log ending before
   * their position (the third shortcut, see above): what a page reads must be cut there.
   */
  cut?: Cut;
  /** Set when `db` holds only this page's part of a prefix cut (the fourth shortcut): only that page is read from it. */
  part?: PagePart;
  /** Set when `db` is the stories and org models at a prefix cut (the fifth shortcut): only timelines are read from it. */
  timelines?: true;
  /** Set when `db` holds only the search model at a prefix cut (src/asof/search-cut.ts): only /search is read from it. */
  search?: true;
}

export interface SnapshotOptions {
  /** byte budget (on disk) of all snapshots kept (default 1 GiB) */
  maxBytes?: number;
  /** at most this many dates kept (default 4) */
  maxSnapshots?: number;
  /** the read models to build (default: all of them, as views.db has) */
  projections?: () => Projection[];
  /** the live read models (views.db), for the shortcuts above; without them every date is built */
  live?: Runtime;
  /** events read from the log per page while building (default PAGE) */
  pageSize?: number;
  /** pages read from their part of a cut kept (the fourth shortcut; default STORIES_KEPT) */
  maxParts?: number;
  /** cuts materialized for timelines kept (the fifth shortcut; default TIMELINE_CUTS_KEPT) */
  maxTimelineCuts?: number;
}

/** how long a request waits for the live read models to reach the log's head before building instead */
const LIVE_WAIT_MS = 2000;

/** The facts of src/asof/log-order.ts and the log position they hold through. */
interface OrderFacts {
  order: AtOrder;
  position: number;
  /** every read model is at or before `position`: none holds an event the facts have not seen */
  consistent: boolean;
  /** the spread model and its edge log are at `position` too: they hold every event of a cut the facts can find */
  spreadAligned: boolean;
}

/** the edge log's read model (src/projections/edge-log.ts), which the dashboard at a cut reads */
const EDGE_LOG = 'edge-log';
/** dates whose cut (the third shortcut) is kept */
const CUTS_KEPT = 16;
/** story pages at a cut kept (the fourth shortcut), and the bytes they may hold together */
const STORIES_KEPT = 32;
const STORY_BYTES = 64 * 2 ** 20;
/** the read models a story page reads (src/http/story-page.tsx): the stories, their spread, who read what */
const STORY_PAGE_MODELS = new Set(['stories', 'spread', 'reading']);
/** and a timeline's (src/http/timelines.tsx): the stories, and the org (a person's and a department's page name them) */
const TIMELINE_MODELS = new Set(['stories', 'org']);
/** events read from the log per page while building */
const PAGE = 5000;
/** each snapshot's SQLite page cache, in MiB (what it holds in memory) */
const CACHE_MB = 16;

interface Entry {
  snapshot: Snapshot;
  failed: Set<Projection>;
  projections: Projection[];
  /** ids applied, for stores that may deliver an id twice (as the runtime does) */
  seen: Set<string> | null;
  /** the catch-up under way: one at a time per snapshot, later askers wait for it */
  running: Promise<void> | null;
  bytes: number;
  /** closes the database and deletes its file */
  remove: () => void;
  /** requests reading it now: never closed under them */
  users: number;
}

/** A temporary views database for one snapshot, and how to remove it. */
function openSnapshotFile(dir: string, date: string, n: number): { db: Views; remove: () => void } {
  const file = join(dir, `${date}-${n}.db`);
  const db = openViews(file);
  // a cache, never read after a crash: no WAL file, the rollback journal (savepoints) in memory
  db.pragma('journal_mode = MEMORY');
  db.pragma(`cache_size = -${CACHE_MB * 1024}`);
  return {
    db,
    remove: () => {
      if (db.open) db.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
    },
  };
}

const bytesOf = (db: Views): number => (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

/** Snapshot sets with files on disk: removed when the process exits, if not closed before. */
const open = new Set<AsOfSnapshots>();
let exitHook = false;

export class AsOfSnapshots {
  private readonly entries = new Map<string, Entry>();
  /** story pages at a cut (the fourth shortcut), by date, cut and story */
  private readonly stories = new Map<string, Entry>();
  private readonly maxBytes: number;
  private readonly maxSnapshots: number;
  private readonly projections: () => Projection[];
  private dir: string | undefined;
  private opened = 0;
  private readonly live: Runtime | undefined;
  private readonly pageSize: number;
  private readonly maxParts: number;
  /** set when the store's stream reads turned out to carry no log positions: no date is then read at a cut */
  private positionsUnknown = false;
  /** how dates were answered (for tests and the bench): from the live read models, and events read while building, and builds that stopped at the cut; /search at a cut; timeline pages read from the stories model at a cut, and cuts materialized for them */
  readonly counts = { live: 0, cut: 0, part: 0, eventsRead: 0, stoppedAtCut: 0, search: 0, searchMade: 0, forgotten: 0, timelines: 0, timelineCuts: 0 };
  /** the search model at prefix cuts (src/asof/search-cut.ts) */
  readonly searchCuts = new KeptCuts<Snapshot>(SEARCH_CUTS_KEPT, SEARCH_CUT_BYTES);
  /** the fifth shortcut's cuts kept (src/asof/timeline-cut.ts) */
  private readonly timelineCuts: KeptCuts<Snapshot>;
  /** the read-only connection to the live views.db, and the read transaction shared by the requests in it */
  private reader: { db: Views; users: number; facts: OrderFacts | undefined; snapshots: Map<string, Snapshot>; cuts: Map<string, Snapshot>; retired?: true } | undefined | null;
  /** the erasures the live read models had seen when last looked (see forgetIfErased) */
  private erasures: number | undefined;

  constructor(
    private readonly store: EventStore,
    opts: SnapshotOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 2 ** 30;
    this.maxSnapshots = opts.maxSnapshots ?? 4;
    this.projections = opts.projections ?? (() => allProjections().filter((p) => p.name !== logOrderProjection.name));
    this.live = opts.live;
    this.pageSize = opts.pageSize ?? PAGE;
    this.maxParts = opts.maxParts ?? STORIES_KEPT;
    this.timelineCuts = new KeptCuts(opts.maxTimelineCuts ?? TIMELINE_CUTS_KEPT, TIMELINE_BYTES);
  }

  /**
   * Runs `read` over the read models as they stood at the end of `asOf`'s day, current with the log
   * as it is now. The snapshot stays open until `read` settles, even if it is evicted meanwhile.
   */
  async use<T>(asOf: AsOfDate, read: (s: Snapshot) => T | Promise<T>, opts: { cut?: boolean; part?: PagePart; search?: boolean; timeline?: boolean } = {}): Promise<T> {
    this.forgetIfErased();
    const live = await this.useLive(asOf, read, opts.cut === true, opts.part, opts.search === true, opts.timeline === true);
    if (live) return live.value;
    const entry = this.entry(asOf);
    entry.users += 1;
    try {
      await this.catchUp(entry);
      this.evict(entry);
      return await read(entry.snapshot);
    } finally {
      entry.users -= 1;
      if (entry.users === 0 && this.entries.get(asOf.date) !== entry) entry.remove();
    }
  }

  /**
   * Everything kept for past dates was read while the words of anyone erased since could still be
   * read; a rebuild of a cut log after an erasure reads the markers (the key is gone). So when the
   * live read models have seen a new erasure (src/asof/log-order.ts's count), every date built, every
   * part and cut made, and the reading connection with what is kept on it (the dashboard's figures at
   * a cut, rendered pages) are let go, and made again from the log as it reads now. Without live read
   * models (`hallway spread --as-of`, one date, once) nothing is watched.
   */
  private forgetIfErased(): void {
    if (!this.live) return;
    let n: number;
    try {
      n = erasuresSeen(this.live.db);
    } catch {
      return; // a views.db from before the count: nothing to compare
    }
    const before = this.erasures;
    this.erasures = n;
    if (before === undefined || before === n) return;
    this.counts.forgotten += 1;
    for (const [date, e] of this.entries) {
      this.entries.delete(date);
      if (e.users === 0) e.remove();
    }
    for (const [key, e] of this.stories) {
      this.stories.delete(key);
      if (e.users === 0) e.remove();
    }
    this.searchCuts.close();
    this.timelineCuts.close();
    const r = this.reader;
    if (r) {
      // requests still reading it finish on it; the last one closes it (useLive)
      this.reader = undefined;
      r.retired = true;
      if (r.users === 0) {
        if (r.db.inTransaction) r.db.exec('COMMIT');
        r.db.close();
      }
    }
  }

  /** The live connection, opened on first use; null when there is none to open (no live views, or in memory). */
  private liveReader(): NonNullable<AsOfSnapshots['reader']> | null {
    if (this.reader !== undefined) return this.reader;
    const file = this.live?.db.name;
    if (!this.live || !file || file === ':memory:') return (this.reader = null);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    db.pragma(`cache_size = -${CACHE_MB * 1024}`);
    return (this.reader = { db, users: 0, facts: undefined, snapshots: new Map(), cuts: new Map() });
  }

  /** The facts as `db` holds them now (inside the caller's transaction, if any). */
  private static factsOf(db: Views): OrderFacts | undefined {
    let order: AtOrder | undefined;
    try {
      order = readOrder(db);
    } catch {
      return undefined; // views.db from before the projection: no facts
    }
    const cps = checkpointsOf(db);
    const position = cps.find((c) => c.name === logOrderProjection.name)?.position;
    if (!order || position === undefined) return undefined;
    return { order, position, consistent: cps.every((c) => c.position <= position), spreadAligned: [spreadProjection.name, EDGE_LOG].every((name) => cps.some((c) => c.name === name && c.position === position)) };
  }

  /** The facts for building: read in a short transaction of their own. */
  private buildFacts(): OrderFacts | undefined {
    const r = this.liveReader();
    if (!r) return undefined;
    if (r.users > 0) return r.facts;
    return r.db.transaction(() => AsOfSnapshots.factsOf(r.db))();
  }

  /**
   * The first shortcut: when every event is before the cutoff, `read` runs over the live read models
   * (see above) and its value is returned; otherwise undefined, and nothing was read.
   */
  private async useLive<T>(asOf: AsOfDate, read: (s: Snapshot) => T | Promise<T>, cut: boolean, part: PagePart | undefined, search = false, timeline = false): Promise<{ value: T } | undefined> {
    const r = this.liveReader();
    if (!r || !this.live) return undefined;
    if (r.users === 0) {
      try {
        await this.live.waitFor(await this.store.headPosition(), LIVE_WAIT_MS);
      } catch {
        return undefined; // catching up (a rebuild, a large import): build the date instead
      }
    }
    // requests that overlap share one read transaction: the later ones see the log as the first did
    if (r.users === 0) {
      r.db.exec('BEGIN');
      r.facts = AsOfSnapshots.factsOf(r.db);
    }
    const f = r.facts;
    const whole = f !== undefined && f.consistent && wholeLogBefore(f.order, asOf.cutoffMs);
    // either store: the cut's end is where the asof-order model saw the date's day start, and the
    // streams folded at the cut are read with their log positions (EventStoreDB 22.6 and later;
    // without them the date is built, see StreamPositionsUnknown) and each event id taken once.
    // The search model at a cut (src/asof/search-cut.ts) reads only the live search tables, which
    // must hold exactly the events the facts have seen
    const aligned = f !== undefined && (search ? searchAligned(r.db, f.position) : f.spreadAligned);
    const prefix = (cut || part !== undefined || search || timeline) && !this.positionsUnknown && f !== undefined && f.consistent && aligned && !whole && cutIsPrefix(f.order, asOf.cutoffMs);
    if (!f || !(whole || prefix)) {
      if (r.users === 0) r.db.exec('COMMIT');
      return undefined;
    }
    r.users += 1;
    try {
      let snapshot: Snapshot;
      if (whole) {
        snapshot = r.snapshots.get(asOf.date) ?? { asOf, db: r.db, through: f.position };
        r.snapshots.set(asOf.date, snapshot);
        snapshot.through = f.position;
        this.counts.live += 1;
      } else {
        snapshot = await this.cutSnapshot(r.cuts, asOf, r.db, f.position);
        if (timeline) return { value: await this.useTimelineCut(snapshot, r.db, read) };
        const stories = part && partStories(r.db, part);
        if (part && stories) {
          const kept = await this.partSnapshot(snapshot, r.db, part, stories);
          this.counts.part += 1;
          return { value: await kept.use(read) };
        }
        if (search) {
          const at = snapshot.cut!;
          const key = `${asOf.date}|${at.firstOut}|${erasuresIn(r.db)}`;
          const kept = await this.searchCuts.use(key, () => searchAtCut(r.db, at), (db) => ({ asOf, db, through: at.factsPosition, cut: at, search: true }), read);
          this.counts.search += 1;
          if (kept.made) this.counts.searchMade += 1;
          return { value: kept.value };
        }
        this.counts.cut += 1;
      }
      return { value: await read(snapshot) };
    } catch (err) {
      // an event store whose stream reads carry no positions: from now on its dates are built
      if (!(err instanceof StreamPositionsUnknown)) throw err;
      this.positionsUnknown = true;
      return undefined;
    } finally {
      r.users -= 1;
      if (r.users === 0 && r.db.open) {
        r.db.exec('COMMIT');
        if (r.retired) r.db.close();
      }
    }
  }

  /**
   * The third shortcut's snapshot of a date: the live read models, with where the date cuts the log
   * (found once per date and log position: a binary search of the log). Kept for CUTS_KEPT dates,
   * least recently used out; each holds a few numbers and the org at the cut (src/asof/cut.ts).
   */
  private async cutSnapshot(cuts: Map<string, Snapshot>, asOf: AsOfDate, db: Views, position: number): Promise<Snapshot> {
    let snapshot = cuts.get(asOf.date);
    cuts.delete(asOf.date);
    if (!snapshot) snapshot = { asOf, db, through: position };
    cuts.set(asOf.date, snapshot);
    if (cuts.size > CUTS_KEPT) cuts.delete(cuts.keys().next().value!);
    if (!snapshot.cut || snapshot.cut.factsPosition !== position) {
      // where the date's day starts along the log, as the asof-order read model keeps it (the store
      // is searched only for a cutoff that is not a midnight, which no date has)
      const firstOut = firstOutOfDays(db, asOf.cutoffMs) ?? (await firstOutside(this.store, asOf.cutoffMs, position));
      snapshot.cut = { cutoffMs: asOf.cutoffMs, factsPosition: position, firstOut };
      snapshot.through = position;
    }
    return snapshot;
  }

  /**
   * The fourth shortcut's snapshot: one story's page at the cut (src/asof/story-cut.ts), built once
   * per date, story and cut into a small in-memory views database by the real projections. Kept for
   * STORIES_KEPT pages within STORY_BYTES, least recently used out; one being read is closed by its
   * last reader. It stays right while the cut does: events appended later are after the cut.
   */
  private async partSnapshot(at: Snapshot, live: Views, part: PagePart, storyIds: string[]): Promise<{ use: <T>(read: (s: Snapshot) => T | Promise<T>) => Promise<T> }> {
    const cut = at.cut!;
    const key = `${at.asOf.date}|${cut.firstOut}|${JSON.stringify(part)}`;
    let kept = this.stories.get(key);
    if (kept) {
      this.stories.delete(key);
    } else {
      const db = openViews(':memory:');
      // only the read models the page reads (the audit trail, search, the edge log… are not)
      const models = STORY_PAGE_MODELS;
      const projections = this.projections().filter((p) => models.has(p.name));
      for (const p of projections) p.setup(db);
      const entry: Entry = {
        snapshot: { asOf: at.asOf, db, through: cut.factsPosition, part }, failed: new Set(), projections, seen: null, running: null, bytes: 0, users: 0,
        remove: () => {
          if (db.open) db.close();
        },
      };
      entry.running = (async () => {
        const events = await partEvents(this.store, live, cut, storyIds);
        this.counts.eventsRead += events.length;
        this.apply(entry, events);
        entry.bytes = bytesOf(db);
      })();
      kept = entry;
    }
    this.stories.set(key, kept);
    const entry = kept;
    entry.users += 1;
    try {
      await entry.running;
    } catch (err) {
      entry.users -= 1;
      if (this.stories.get(key) === entry) this.stories.delete(key);
      if (entry.users === 0) entry.remove();
      throw err;
    }
    // least recently used out until the pages kept fit
    let total = 0;
    for (const e of this.stories.values()) total += e.bytes;
    for (const [k, e] of this.stories) {
      if (total <= STORY_BYTES && this.stories.size <= this.maxParts) break;
      if (e === entry) continue;
      this.stories.delete(k);
      total -= e.bytes;
      if (e.users === 0) e.remove();
    }
    return {
      use: async (read) => {
        try {
          return await read(entry.snapshot);
        } finally {
          entry.users -= 1;
          if (entry.users === 0 && this.stories.get(key) !== entry) entry.remove();
        }
      },
    };
  }

  /**
   * The fifth shortcut: a timeline page read from the stories and org models as they stood at the
   * cut (src/asof/timeline-cut.ts), materialized once per date and cut from the live read models
   * (`live`, in the read transaction the cut was found in) and kept (TIMELINE_CUTS_KEPT cuts within
   * TIMELINE_BYTES, least recently used out).
   */
  private async useTimelineCut<T>(at: Snapshot, live: Views, read: (s: Snapshot) => T | Promise<T>): Promise<T> {
    const cut = at.cut!;
    const projections = this.projections().filter((p) => TIMELINE_MODELS.has(p.name));
    const kept = await this.timelineCuts.use(
      // and the erasures seen (what a cut copied before one would not show its markers)
      `${at.asOf.date}|${cut.firstOut}|${erasuresIn(live)}`,
      () => {
        this.counts.timelineCuts += 1;
        return timelinesAtCut(live, this.store, cut, projections);
      },
      (db) => ({ asOf: at.asOf, db, through: cut.factsPosition, timelines: true }),
      (s) => {
        this.counts.timelines += 1;
        return read(s);
      },
    );
    return kept.value;
  }

  /** Timeline cuts kept, and the bytes their databases hold (for tests and the bench). */
  timelineCutsKept(): { cuts: number; bytes: number } {
    return this.timelineCuts.size();
  }

  private entry(asOf: AsOfDate): Entry {
    let entry = this.entries.get(asOf.date);
    if (entry) {
      // most recently used last
      this.entries.delete(asOf.date);
      this.entries.set(asOf.date, entry);
    } else {
      if (this.dir === undefined) {
        this.dir = mkdtempSync(join(tmpdir(), 'hallway-asof-'));
        open.add(this);
        if (!exitHook) {
          exitHook = true;
          process.once('exit', () => {
            for (const s of open) s.close();
          });
        }
      }
      const { db, remove } = openSnapshotFile(this.dir, asOf.date, ++this.opened);
      const projections = this.projections();
      for (const p of projections) p.setup(db);
      entry = { snapshot: { asOf, db, through: 0 }, failed: new Set(), projections, seen: this.store.uniqueIds ? null : new Set(), running: null, bytes: 0, users: 0, remove };
      this.entries.set(asOf.date, entry);
    }
    return entry;
  }

  /** Bytes held by the snapshots kept (for tests and the bench). */
  size(): { snapshots: number; bytes: number } {
    let bytes = 0;
    for (const e of this.entries.values()) bytes += e.bytes;
    return { snapshots: this.entries.size, bytes };
  }

  /** Pages kept from their part of a cut, and the bytes their databases hold (for tests and the bench). */
  partsKept(): { pages: number; bytes: number } {
    let bytes = 0;
    for (const e of this.stories.values()) bytes += e.bytes;
    return { pages: this.stories.size, bytes };
  }

  close(): void {
    if (this.reader) {
      if (this.reader.db.inTransaction) this.reader.db.exec('COMMIT');
      this.reader.db.close();
    }
    this.reader = undefined;
    for (const e of this.entries.values()) e.remove();
    this.entries.clear();
    for (const e of this.stories.values()) e.remove();
    this.stories.clear();
    this.timelineCuts.close();
    this.searchCuts.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    open.delete(this);
  }

  private catchUp(entry: Entry): Promise<void> {
    if (entry.running) return entry.running;
    const run = (async () => {
      try {
        const head = await this.store.headPosition();
        const facts = this.buildFacts();
        // the second shortcut: a cut that is a prefix of the log as far as the facts hold
        const prefixThrough = facts && cutIsPrefix(facts.order, entry.snapshot.asOf.cutoffMs) ? facts.position : 0;
        while (entry.snapshot.through < head) {
          const page = await this.store.readAll({ after: entry.snapshot.through, limit: this.pageSize });
          if (page.length === 0) break;
          const reached = this.apply(entry, page);
          this.counts.eventsRead += page.length;
          entry.snapshot.through = page[page.length - 1]!.position;
          // an event at or after the cutoff, within what the facts hold: every later one they hold is too
          if (reached !== undefined && reached <= prefixThrough && entry.snapshot.through < prefixThrough) {
            entry.snapshot.through = prefixThrough;
            this.counts.stoppedAtCut += 1;
          }
          // let requests run between pages while a large log is read
          if (entry.snapshot.through < head) await new Promise<void>((r) => setImmediate(r));
        }
      } finally {
        entry.running = null;
        entry.bytes = bytesOf(entry.snapshot.db);
      }
    })();
    entry.running = run;
    return run;
  }

  /**
   * One page of the log: the events before the cutoff, in log order, through every projection, as
   * the runtime applies a batch (src/projections/runtime.ts): upcast, each projection in its own
   * savepoint (the whole page through `applyBatch` where the projection has it), a projection that
   * throws stops there for good and the others go on. Returns the position of the page's first
   * event at or after the cutoff, if any.
   */
  private apply(entry: Entry, page: RecordedEvent[]): number | undefined {
    const { cutoffMs } = entry.snapshot.asOf;
    const events: ProjectedEvent[] = [];
    let reached: number | undefined;
    for (const e of page) {
      // the rule (see above): kept when recorded before the cutoff, wherever it is in the log
      if (!(Date.parse(e.metadata.at) < cutoffMs)) {
        reached ??= e.position;
        continue;
      }
      if (entry.seen) {
        if (entry.seen.has(e.id)) continue;
        entry.seen.add(e.id);
      }
      const data = upcast(e.type, e.data, e.metadata.v ?? 1);
      events.push((data === e.data ? e : { ...e, data }) as unknown as ProjectedEvent);
    }
    if (events.length === 0) return reached;
    const db = entry.snapshot.db;
    db.transaction(() => {
      for (const p of entry.projections) {
        if (entry.failed.has(p)) continue;
        try {
          db.transaction(() => {
            if (p.applyBatch) p.applyBatch(db, events);
            else for (const e of events) p.apply(db, e);
          })();
        } catch {
          p.invalidate?.(db);
          entry.failed.add(p);
        }
      }
    })();
    return reached;
  }

  /** Least recently used out until the kept snapshots fit; the one just used always stays. */
  private evict(keep: Entry): void {
    let total = this.size().bytes;
    for (const [date, e] of this.entries) {
      if (total <= this.maxBytes && this.entries.size <= this.maxSnapshots) break;
      if (e === keep) continue;
      this.entries.delete(date);
      total -= e.bytes;
      // one in use is closed by its last user (see use)
      if (e.users === 0) e.remove();
    }
  }
}

/** Whether the live search model has applied exactly the events the facts have (and keeps their positions). */
function searchAligned(db: Views, position: number): boolean {
  return checkpointsOf(db).some((c) => c.name === 'search' && c.position === position) && canCutSearch(db);
}

/** Snapshot sets by owner (an app's context): closed together with it. */
const owned = new WeakMap<object, Set<AsOfSnapshots>>();

export function closedWith(owner: object, snapshots: AsOfSnapshots): void {
  let set = owned.get(owner);
  if (!set) owned.set(owner, (set = new Set()));
  set.add(snapshots);
}

/** Closes the owner's snapshot sets (their temporary files are removed). */
export function closeSnapshotsOf(owner: object): void {
  for (const s of owned.get(owner) ?? []) s.close();
  owned.delete(owner);
}

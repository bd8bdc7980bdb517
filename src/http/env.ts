import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Role } from '../../events/org.ts';
import type { Config } from '../config.ts';
import type { Runtime } from '../projections/runtime.ts';
import type { EventStore } from '../store/port.ts';
import type { Cut } from '../asof/cut.ts';
import type { AsOfDate } from '../asof/date.ts';
import type { KeyObject } from 'node:crypto';
import type { ChainKeeper } from '../chain/keeper.ts';
import type { Mail } from '../mail/mailer.ts';

/** Tamper evidence (src/chain, docs/trust.md). */
export interface ChainContext {
  /** the store as stored, below any sealing layer: receipts and /verify hash what it returns */
  store: EventStore;
  /** a seal key is configured: this archive seals itself */
  sealing: boolean;
  /** the keys seals are checked with (HALLWAY_SEAL_PUBLIC_KEY, or the .pub beside the key) */
  publicKeys: ReadonlyMap<string, KeyObject>;
  /** the keeper, when it runs on this thread (not when serve runs it in the projection worker) */
  keeper?: ChainKeeper;
}

/** The signed-in person, as the session (or an API token) resolved them. */
export interface CurrentUser {
  employeeId: string;
  name: string;
  departmentId: string;
  joinedOn: string;
  roles: Role[];
  /** how they proved who they are */
  via: 'session' | 'token';
  sessionId?: string;
}

export type AppEnv = {
  Variables: {
    user: CurrentUser | null;
    /** per-response CSP nonce (no inline script is used; kept for a future need) */
    secureHeadersNonce?: string;
    /** this request's id (X-Request-Id), and the logger (a line about the request gives `reqId` itself) */
    requestId: string;
    log: Logger;
  };
};

/** Everything the app needs from outside; tests build it over a temporary data directory. */
export interface AppContext {
  store: EventStore;
  runtime: Runtime;
  config: Config;
  clock: () => Date;
  newId: () => string;
  /** one-time first-run setup token (printed on the console), if no admin exists yet */
  setup: { token: string | null; expiresAt: number };
  /** false while the read models catch up after start-up (pages answer 503); absent means ready */
  ready?: () => boolean;
  /**
   * Set when the pages show the archive as it stood on a date (src/http/as-of.tsx); `clock` is then
   * the end of that day, and `recordClock` the real one, for the little an as-of page records (the
   * audit trail's DataExported of a CSV download).
   */
  asOf?: AsOfDate & { recordClock: () => Date };
  /**
   * Set when the date's cut is a prefix of the log and `runtime` holds the live read models (not a
   * built date): the routes that can read their page at the cut (src/asof/cut.ts) do so.
   */
  asOfCut?: Cut;
  /** tamper evidence; absent in contexts built by hand (then `store` stands in, without seals) */
  chain?: ChainContext;
  /** serve's JSON logger (src/observability/logger.ts); absent: nothing is logged */
  logger?: Logger;
  /** this process's Prometheus metrics; absent: /metrics answers 404 */
  metrics?: Metrics;
  /** email (HALLWAY_SMTP_URL): the outbox and its sender (src/mail/); absent: no email is sent */
  mail?: Mail;
}

/*
 * A wire-level EventStoreDB server for tests: an in-process gRPC server that serves the client's
 * own generated service definitions (@eventstore/db-client/generated), so the real client
 * (6.2.1) talks to it as it would to a single insecure node (`esdb://127.0.0.1:PORT?tls=false`).
 *
 * It follows EventStoreDB 23.10's documented and source-visible behaviour (EventStore/EventStore:
 * Services/Transport/Grpc/Streams.{Append,BatchAppend,Read}.cs, Transport/Enumerators,
 * Storage/ReaderIndex/IndexWriter.cs CheckCommit, StorageWriterService, SubscriptionsService):
 *
 * - ServerFeatures.GetSupportedMethods (BatchAppend advertised or not: the client falls back to
 *   Append when it is not), Streams.Append (client streaming), Streams.BatchAppend (bidi),
 *   Streams.Read: stream reads and $all reads in both directions, stream and $all subscriptions
 *   (filters on event type or stream name, by prefix or regex; checkpoints every
 *   checkpointInterval × maxSearchWindow considered events; SubscriptionConfirmation, then
 *   history, then CaughtUp, then live events; `caughtUp: false` models a 22.10 server, which
 *   never sends CaughtUp), StreamNotFound for a stream with no events.
 * - Expected revisions any / no_stream / stream_exists / exact, WrongExpectedVersion with the
 *   current revision; idempotency as IndexWriter.CheckCommit decides it: exact revisions compare
 *   the ids at those revisions (all match → the original result; the first matches and a later
 *   one does not → CorruptedIdempotency, answered as WrongExpectedVersion); any / stream_exists
 *   look ids up in a BOUNDED, in-memory cache of recently committed ids (first id unknown → the
 *   batch is written, duplicates and all; first known and a later one unknown →
 *   WrongExpectedVersion), emptied when the server restarts.
 * - Positions: each event is its own committed record (commit == prepare) at a growing byte
 *   offset; an append answers the position of its last event. $all holds system events: the
 *   `$epoch-information` event each node start writes, `$metadata` events in `$$stream` streams,
 *   and whatever `appendSystemEvent` injects (e.g. `$statsCollected` in `$stats-…`).
 * - Stream metadata `$maxCount` and `$tb` hide older events from stream reads (they stay in $all).
 * - A live subscription whose client cannot keep up (more than 32 events waiting while the
 *   transport pushes back) is dropped as 23.10 drops it: ABORTED "Consumer too slow…".
 * - stop() ends every open call with UNAVAILABLE and closes the port; restart() serves the same
 *   log again (same port by default) as a fresh node: new epoch, empty id cache.
 * - Fault switches (`faults`): NotLeader on writes (with the leader's endpoint, so the client
 *   reconnects there), access denied on $all reads and subscriptions, UNAVAILABLE or a slow-consumer
 *   drop after N events of the next subscription, every subscribed event delivered twice.
 *
 * Use:
 *   const server = await EsdbWireServer.start({ batchAppend: false });  // port 0: any free port
 *   const client = EventStoreDBClient.connectionString(server.url);     // esdb://127.0.0.1:PORT?tls=false
 *   server.faults.denyAll = true;  server.appendSystemEvent('$stats-x', '$statsCollected', {});
 *   await server.restart();        // same log, same port, fresh node
 *   await server.stop();
 *
 * It does NOT model: TLS, authentication and ACLs (beyond the access-denied switch), gossip and
 * clustering (the client's single-node path needs none; NotLeader only points elsewhere),
 * persistent subscriptions, projections, stream deletion and tombstones, $maxAge, scavenging,
 * explicit transactions, link events (resolveLinkTos), read deadlines and append timeouts, the
 * Users / Operations / Monitoring services, $all reads with a filter beyond what the client
 * sends, and the exact on-disk record sizes (offsets grow by a size derived from each record's
 * content, which is all a client can rely on).
 */
import grpc from '@grpc/grpc-js';
import type { Metadata, ServerDuplexStream, ServerErrorResponse, ServerWritableStream, ServiceError } from '@grpc/grpc-js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { AppendReq, BatchAppendReq, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import featuresPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import { WireLog, isMetastream, metastreamOf, randomUuid } from './esdb-wire-log.ts';
import type { ProposedEvent, WireRecord } from './esdb-wire-log.ts';

export { WireLog } from './esdb-wire-log.ts';
export type { WireRecord } from './esdb-wire-log.ts';

const GrpcStatus = grpc.status;
const { ReadResp: ReadRespMsg, AppendResp, BatchAppendResp } = streamsPb;

/** ExpectedVersion constants as the server uses them internally */
const ANY = -2;
const NO_STREAM = -1;
const STREAM_EXISTS = -4;

/** EventStoreDB's default MaxAppendSize (1 MiB) */
const MAX_APPEND_SIZE = 1024 * 1024;
/** Enumerator.ReadBatchSize: the default filter search window */
const READ_BATCH_SIZE = 32;
/** Enumerator.MaxLiveEventBufferCount: live events a subscription may have waiting before it is dropped */
const MAX_LIVE_EVENT_BUFFER = 32;
/** IndexWriter's committed-id cache is bounded by memory (ESConsts.CommitedEventsMemCacheLimit); a count here */
const DEFAULT_ID_CACHE_SIZE = 100_000;

export interface WireServerOptions {
  /** 0 (default): any free port */
  port?: number;
  /** advertise Streams.BatchAppend in ServerFeatures (default true): the client appends through it when advertised */
  batchAppend?: boolean;
  /** how many recently committed event ids the node remembers for `any` / `stream_exists` idempotency */
  idCacheSize?: number;
  /**
   * send CaughtUp when a subscription turns live (default true, as 23.10 and later do); false
   * models a 22.10 server, which never sends it (the client then never emits 'caughtUp')
   */
  caughtUp?: boolean;
  /** serve an existing log (another server's, or one kept across a restart) */
  log?: WireLog;
  /**
   * stream reads carry each event's log position (default true, as 22.6 and later do); false models
   * an older server, whose stream reads give none (ulong.MaxValue); $all reads always carry them
   */
  streamReadPositions?: boolean;
}

export interface WireFaults {
  /** answer every write (and reads that require the leader) with NotLeader, naming this endpoint as leader */
  notLeader?: { host: string; port: number };
  /** refuse $all reads and subscriptions with PERMISSION_DENIED (the client's AccessDeniedError) */
  denyAll: boolean;
  /** send every subscribed event twice (a client must dedupe by id) */
  deliverTwice: boolean;
  /** one-shot: the next subscription that delivers this many events then ends with UNAVAILABLE */
  unavailableAfterEvents?: number;
  /** one-shot: the next subscription that delivers this many events is then dropped as a slow consumer */
  slowConsumerAfterEvents?: number;
}

interface Expected {
  /** ANY, NO_STREAM, STREAM_EXISTS or an exact revision */
  version: number;
}

type WriteOutcome =
  | { kind: 'written'; lastRevision: number; position: number }
  | { kind: 'wrong-expected-version'; current: number };

/** FIFO-bounded map of committed event ids, as IndexWriter's BoundedCache (lookups do not refresh) */
class CommittedIds {
  private readonly entries = new Map<string, { stream: string; revision: number }>();
  constructor(private readonly capacity: number) {}
  get(id: string): { stream: string; revision: number } | undefined {
    return this.entries.get(id);
  }
  put(id: string, stream: string, revision: number): void {
    this.entries.delete(id);
    this.entries.set(id, { stream, revision });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
  clear(): void {
    this.entries.clear();
  }
}

function rpcError(code: grpc.status, details: string, meta: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(meta)) metadata.set(k, v);
  return Object.assign(new Error(details), { code, details, metadata });
}

const accessDenied = () => rpcError(GrpcStatus.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' });
const leaderInfo = (host: string, port: number) =>
  rpcError(GrpcStatus.NOT_FOUND, 'Leader info available', { exception: 'not-leader', 'leader-endpoint-host': host, 'leader-endpoint-port': String(port) });
const invalidPosition = () => rpcError(GrpcStatus.INVALID_ARGUMENT, 'Trying to read from an invalid position.');
const consumerTooSlow = () =>
  rpcError(GrpcStatus.ABORTED, 'Operation timed out: Consumer too slow to handle event while live. Client resubscription required.');

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function uuidFromDto(uuid: InstanceType<typeof sharedPb.UUID> | undefined): string {
  if (!uuid) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Required field id not set.');
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const hex = BigInt.asUintN(64, BigInt(s.getMostSignificantBits())).toString(16).padStart(16, '0') + BigInt.asUintN(64, BigInt(s.getLeastSignificantBits())).toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const s = uuid.getString();
  if (!UUID_RE.test(s)) throw rpcError(GrpcStatus.INVALID_ARGUMENT, `Invalid UUID: ${s}`);
  const hex = s.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidToDto(id: string, structured: boolean): InstanceType<typeof sharedPb.UUID> {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const s = new sharedPb.UUID.Structured();
  s.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString());
  s.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  return uuid.setStructured(s);
}

const streamName = (id: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string => {
  if (!id) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Required field StreamIdentifier not set.');
  return Buffer.from(id.getStreamName_asU8()).toString('utf8');
};

const streamIdentifier = (name: string) => new sharedPb.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));

function proposedEvent(m: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const meta = m.getMetadataMap();
  const type = meta.get('type');
  const contentType = meta.get('content-type');
  if (type === undefined || contentType === undefined) {
    throw rpcError(GrpcStatus.INVALID_ARGUMENT, `Required Metadata Property '${type === undefined ? 'type' : 'content-type'}' is missing`, {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type,content-type',
    });
  }
  return { id: uuidFromDto(m.getId()), type, isJson: contentType === 'application/json', data: m.getData_asU8(), metadata: m.getCustomMetadata_asU8() };
}

/** visible revisions of a stream under its metadata ($maxCount, $tb) */
function firstVisibleRevision(log: WireLog, stream: string): number {
  const meta = log.stream(metastreamOf(stream));
  const last = meta[meta.length - 1];
  if (!last || !last.isJson) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(last.data).toString('utf8'));
  } catch {
    return 0;
  }
  if (typeof parsed !== 'object' || parsed === null) return 0;
  const m = parsed as Record<string, unknown>;
  let first = 0;
  const maxCount = m['$maxCount'];
  if (typeof maxCount === 'number' && maxCount > 0) first = Math.max(first, log.lastRevision(stream) - maxCount + 1);
  const tb = m['$tb'];
  if (typeof tb === 'number' && tb > 0) first = Math.max(first, tb);
  return first;
}

type EventFilter = (r: WireRecord) => boolean;

/** EventFilter.DefaultAllFilter: what every filtered $all read leaves out before applying the user's filter */
const defaultAllFilter: EventFilter = (r) =>
  !r.stream.startsWith('$') ||
  !(r.stream === '$epoch-information' || (r.stream.startsWith('$persistentsubscription-$all::') && (r.stream.endsWith('-checkpoint') || r.stream.endsWith('-parked'))));

function toEventFilter(f: ReadReq.Options.FilterOptions): EventFilter {
  const onType = f.hasEventType();
  const expr = onType ? f.getEventType() : f.getStreamIdentifier();
  if (!expr) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Filter has no expression.');
  const field = (r: WireRecord) => (onType ? r.type : r.stream);
  const regex = expr.getRegex();
  if (regex) {
    const re = new RegExp(regex);
    return (r) => defaultAllFilter(r) && re.test(field(r));
  }
  const prefixes = expr.getPrefixList();
  return (r) => defaultAllFilter(r) && prefixes.some((p) => field(r).startsWith(p));
}

interface Served {
  call: ServerWritableStream<ReadReq, ReadResp> | ServerDuplexStream<BatchAppendReq, InstanceType<typeof BatchAppendResp>>;
  stop: AbortController;
}

export class EsdbWireServer {
  readonly log: WireLog;
  readonly faults: WireFaults = { denyAll: false, deliverTwice: false };
  /** whether ServerFeatures advertises BatchAppend; a client reads it once per connection */
  batchAppend: boolean;
  private readonly sendsCaughtUp: boolean;
  /** how many subscriptions this node dropped as slow consumers */
  slowConsumerDrops = 0;
  /** calls received per RPC, so a test can tell which append path the client took */
  readonly calls = { append: 0, batchAppend: 0, read: 0, getSupportedMethods: 0 };
  private server: grpc.Server | undefined;
  private boundPort = 0;
  private readonly committedIds: CommittedIds;
  private readonly open = new Set<Served>();
  private readonly streamReadPositions: boolean;

  private constructor(options: WireServerOptions) {
    this.log = options.log ?? new WireLog();
    this.batchAppend = options.batchAppend ?? true;
    this.sendsCaughtUp = options.caughtUp ?? true;
    this.streamReadPositions = options.streamReadPositions ?? true;
    this.committedIds = new CommittedIds(options.idCacheSize ?? DEFAULT_ID_CACHE_SIZE);
  }

  /** starts a node on `options.port` (0: any free port); a new log starts with the node's first epoch */
  static async start(options: WireServerOptions = {}): Promise<EsdbWireServer> {
    const node = new EsdbWireServer(options);
    await node.listen(options.port ?? 0);
    return node;
  }

  get port(): number {
    return this.boundPort;
  }

  /** the connection string the client uses */
  get url(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** ends every open call with UNAVAILABLE and closes the port; the log stays */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of [...this.open]) this.fail(s, rpcError(GrpcStatus.UNAVAILABLE, 'Server is shutting down.'));
    // let those statuses reach the clients before the connections close (else they see CANCELLED)
    await Promise.race([new Promise<void>((resolve) => server.tryShutdown(() => resolve())), new Promise<void>((resolve) => setTimeout(resolve, 500))]);
    server.forceShutdown();
  }

  /** serves the same log again, as a freshly started node: new epoch record, empty committed-id cache */
  async restart(options: { port?: number } = {}): Promise<void> {
    await this.stop();
    this.committedIds.clear();
    await this.listen(options.port ?? this.boundPort);
  }

  /** writes an event as the server itself would (e.g. `$statsCollected` to `$stats-127.0.0.1:2113`) */
  appendSystemEvent(stream: string, type: string, data: unknown): WireRecord {
    const [record] = this.log.append(stream, [{ id: randomUuid(), type, isJson: true, data: Buffer.from(JSON.stringify(data)), metadata: new Uint8Array() }]);
    this.remember([record!]);
    return record!;
  }

  /** writes `count` system events in one go (e.g. to bury the last user event under thousands of `$statsCollected`) */
  appendSystemEvents(stream: string, type: string, count: number): void {
    const events: ProposedEvent[] = Array.from({ length: count }, () => ({ id: randomUuid(), type, isJson: true, data: Buffer.from('{}'), metadata: new Uint8Array() }));
    this.remember(this.log.append(stream, events));
  }

  private async listen(port: number): Promise<void> {
    // every node start writes an epoch record and its `$epoch-information` event
    this.log.writeEpoch();
    const server = new grpc.Server();
    server.addService(featuresGrpc.ServerFeaturesService, { getSupportedMethods: this.getSupportedMethods });
    server.addService(streamsGrpc.StreamsService, {
      read: this.read,
      append: this.append,
      batchAppend: this.batchAppendCall,
      delete: (_call: unknown, callback: grpc.sendUnaryData<never>) => callback(rpcError(GrpcStatus.UNIMPLEMENTED, 'Delete is not modelled by the wire server.')),
      tombstone: (_call: unknown, callback: grpc.sendUnaryData<never>) => callback(rpcError(GrpcStatus.UNIMPLEMENTED, 'Tombstone is not modelled by the wire server.')),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    this.server = server;
  }

  // ---- ServerFeatures ---------------------------------------------------------------------------

  private readonly getSupportedMethods = (_call: unknown, callback: grpc.sendUnaryData<InstanceType<typeof featuresPb.SupportedMethods>>): void => {
    this.calls.getSupportedMethods += 1;
    const method = (service: string, name: string, features: string[] = []) =>
      new featuresPb.SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
    const streams = 'event_store.client.streams.streams';
    const methods = [
      method(streams, 'read', ['position', 'events']),
      method(streams, 'append'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ];
    if (this.batchAppend) methods.push(method(streams, 'batchappend', ['deadline_duration']));
    callback(null, new featuresPb.SupportedMethods().setEventStoreServerVersion(this.sendsCaughtUp ? '23.10.0' : '22.10.0').setMethodsList(methods));
  };

  // ---- writes ---------------------------------------------------------------------------------

  private remember(records: readonly WireRecord[]): void {
    for (const r of records) this.committedIds.put(r.id, r.stream, r.revision);
  }

  /** IndexWriter.CheckCommit, then the write: one synchronous step, so concurrent appends are serialised */
  private write(stream: string, expected: Expected, events: readonly ProposedEvent[]): WriteOutcome {
    const size = events.reduce((n, e) => n + e.data.length + e.metadata.length + Buffer.byteLength(e.type), 0);
    if (size > MAX_APPEND_SIZE) {
      throw rpcError(GrpcStatus.INVALID_ARGUMENT, `Maximum Append Size of ${MAX_APPEND_SIZE} Exceeded.`, {
        exception: 'maximum-append-size-exceeded',
        'maximum-append-size': String(MAX_APPEND_SIZE),
      });
    }
    const current = this.log.lastRevision(stream);
    const v = expected.version;
    const recorded = this.log.stream(stream);

    const idempotent = (first: number, last: number): WriteOutcome => ({ kind: 'written', lastRevision: last, position: recorded[last]!.position });
    const wrong: WriteOutcome = { kind: 'wrong-expected-version', current };

    if (v === STREAM_EXISTS && current < 0 && this.log.lastRevision(metastreamOf(stream)) < 0) return wrong;

    if (v === ANY || v === STREAM_EXISTS) {
      // best-effort idempotency: only through the bounded cache of recently committed ids
      let start = -1;
      let end = -1;
      for (const [i, e] of events.entries()) {
        const known = this.committedIds.get(e.id);
        if (!known || known.stream !== stream) {
          if (i === 0) return this.commit(stream, current, events);
          return wrong; // CorruptedIdempotency
        }
        if (i === 0) start = known.revision;
        end = known.revision;
      }
      if (events.length === 0) return this.commit(stream, current, events);
      return idempotent(start, end);
    }

    if (v < current) {
      let eventNumber = v;
      for (const e of events) {
        eventNumber += 1;
        const known = this.committedIds.get(e.id);
        if (known && known.stream === stream && known.revision === eventNumber) continue;
        if (recorded[eventNumber]?.id === e.id) continue;
        return wrong; // the first differs: WrongExpectedVersion; a later one: CorruptedIdempotency, answered the same
      }
      if (eventNumber === v) return wrong; // no events
      return idempotent(v + 1, eventNumber);
    }
    if (v > current) return wrong;
    return this.commit(stream, current, events);
  }

  private commit(stream: string, current: number, events: readonly ProposedEvent[]): WriteOutcome {
    if (events.length === 0) return { kind: 'written', lastRevision: current, position: this.log.appendEmptyRecord() };
    const written = this.log.append(stream, events);
    this.remember(written);
    const last = written[written.length - 1]!;
    return { kind: 'written', lastRevision: last.revision, position: last.position };
  }

  private readonly append = (call: grpc.ServerReadableStream<AppendReq, InstanceType<typeof AppendResp>>, callback: grpc.sendUnaryData<InstanceType<typeof AppendResp>>): void => {
    this.calls.append += 1;
    const requests: AppendReq[] = [];
    let failed = false;
    call.on('data', (r: AppendReq) => requests.push(r));
    call.on('error', () => {
      failed = true;
    });
    call.on('end', () => {
      if (failed) return;
      try {
        callback(null, this.appendFrom(requests));
      } catch (e) {
        callback(e as ServerErrorResponse);
      }
    });
  };

  private appendFrom(requests: AppendReq[]): InstanceType<typeof AppendResp> {
    const [head, ...rest] = requests;
    const options = head?.getOptions();
    if (!options) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'The first message of an append must carry its options.');
    const stream = streamName(options.getStreamIdentifier());
    const Case = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
    const which = options.getExpectedStreamRevisionCase();
    const version =
      which === Case.REVISION ? Number(options.getRevision()) : which === Case.NO_STREAM ? NO_STREAM : which === Case.STREAM_EXISTS ? STREAM_EXISTS : which === Case.ANY ? ANY : undefined;
    if (version === undefined) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Expected stream revision not set.');
    const events = rest.map((r) => {
      const m = r.getProposedMessage();
      if (!m) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Expected a proposed message.');
      return proposedEvent(m);
    });
    if (this.faults.notLeader) throw leaderInfo(this.faults.notLeader.host, this.faults.notLeader.port);

    const outcome = this.write(stream, { version }, events);
    const resp = new AppendResp();
    if (outcome.kind === 'written') {
      const success = new AppendResp.Success();
      if (outcome.lastRevision === -1) success.setNoStream(new sharedPb.Empty());
      else success.setCurrentRevision(String(outcome.lastRevision));
      success.setPosition(new AppendResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position)));
      return resp.setSuccess(success);
    }
    const wev = new AppendResp.WrongExpectedVersion();
    if (which === Case.ANY) wev.setExpectedAny(new sharedPb.Empty()).setAny2060(new sharedPb.Empty());
    else if (which === Case.STREAM_EXISTS) wev.setExpectedStreamExists(new sharedPb.Empty()).setStreamExists2060(new sharedPb.Empty());
    else if (which === Case.NO_STREAM) wev.setExpectedNoStream(new sharedPb.Empty());
    else wev.setExpectedRevision(String(version)).setExpectedRevision2060(version);
    if (outcome.current === -1) wev.setCurrentNoStream(new sharedPb.Empty()).setNoStream2060(new sharedPb.Empty());
    else wev.setCurrentRevision(String(outcome.current)).setCurrentRevision2060(outcome.current);
    return resp.setWrongExpectedVersion(wev);
  }

  private readonly batchAppendCall = (call: ServerDuplexStream<BatchAppendReq, InstanceType<typeof BatchAppendResp>>): void => {
    this.calls.batchAppend += 1;
    const served: Served = { call, stop: new AbortController() };
    this.open.add(served);
    const pending = new Map<string, { stream: string; version: number; events: ProposedEvent[]; correlation: InstanceType<typeof sharedPb.UUID> }>();
    const Case = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
    call.on('data', (req: BatchAppendReq) => {
      if (served.stop.signal.aborted) return;
      const correlation = req.getCorrelationId();
      const reply = (stream: string | undefined, fill: (r: InstanceType<typeof BatchAppendResp>) => void) => {
        const resp = new BatchAppendResp();
        if (correlation) resp.setCorrelationId(correlation);
        if (stream !== undefined) resp.setStreamIdentifier(streamIdentifier(stream));
        fill(resp);
        call.write(resp);
      };
      let key = '';
      // the client reads the stream name of every answer, errors included
      let stream: string | undefined;
      try {
        key = uuidFromDto(correlation);
        const options = req.getOptions();
        if (options) {
          const which = options.getExpectedStreamPositionCase();
          const version =
            which === Case.STREAM_POSITION ? Number(options.getStreamPosition()) : which === Case.NO_STREAM ? NO_STREAM : which === Case.STREAM_EXISTS ? STREAM_EXISTS : which === Case.ANY ? ANY : undefined;
          if (version === undefined) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Expected stream position not set.');
          if (!pending.has(key)) pending.set(key, { stream: streamName(options.getStreamIdentifier()), version, events: [], correlation: correlation! });
        }
        const write = pending.get(key);
        if (!write) return;
        stream = write.stream;
        write.events.push(...req.getProposedMessagesList().map(proposedEvent));
        if (!req.getIsFinal()) return;
        pending.delete(key);
        if (this.faults.notLeader) {
          // the real server throws LeaderInfo from its completion callback: the whole call ends with it
          this.fail(served, leaderInfo(this.faults.notLeader.host, this.faults.notLeader.port));
          return;
        }
        const outcome = this.write(write.stream, { version: write.version }, write.events);
        reply(write.stream, (resp) => {
          if (outcome.kind === 'written') {
            const success = new BatchAppendResp.Success();
            if (outcome.lastRevision === -1) success.setNoStream(new emptyPb.Empty());
            else success.setCurrentRevision(String(outcome.lastRevision));
            success.setPosition(new sharedPb.AllStreamPosition().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position)));
            resp.setSuccess(success);
          } else {
            resp.setError(wrongExpectedVersionStatus(outcome.current, write.version));
          }
        });
      } catch (e) {
        const err = e as ServiceError;
        pending.delete(key);
        reply(stream, (resp) => resp.setError(statusOf(GrpcStatus.INVALID_ARGUMENT, err.details ?? String(e))));
      }
    });
    call.on('end', () => {
      if (served.stop.signal.aborted) return;
      this.open.delete(served);
      call.end();
    });
    call.on('error', () => this.open.delete(served));
    call.on('cancelled', () => {
      served.stop.abort();
      this.open.delete(served);
    });
  };

  // ---- reads and subscriptions ----------------------------------------------------------------

  private readonly read = (call: ServerWritableStream<ReadReq, ReadResp>): void => {
    this.calls.read += 1;
    const served: Served = { call, stop: new AbortController() };
    this.open.add(served);
    const finish = () => {
      served.stop.abort();
      this.open.delete(served);
    };
    call.on('cancelled', finish);
    call.on('error', finish);
    this.serveRead(call, served.stop.signal).then(
      () => {
        if (served.stop.signal.aborted) return;
        finish();
        call.end();
      },
      (e: unknown) => {
        if (served.stop.signal.aborted) return;
        this.fail(served, e as ServerErrorResponse);
      },
    );
  };

  /** ends a call with an error status (no-op if it already ended) */
  private fail(served: Served, error: ServerErrorResponse): void {
    if (served.stop.signal.aborted) return;
    served.stop.abort();
    this.open.delete(served);
    served.call.emit('error', error);
  }

  private async serveRead(call: ServerWritableStream<ReadReq, ReadResp>, signal: AbortSignal): Promise<void> {
    const options = call.request.getOptions();
    if (!options) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Read options not set.');
    const uuidOption = options.getUuidOption();
    if (!uuidOption) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Required argument uuidOption not set.');
    const structured = uuidOption.hasStructured();
    if (this.faults.notLeader && requiresLeader(call.metadata)) throw leaderInfo(this.faults.notLeader.host, this.faults.notLeader.port);
    const all = options.getAll();
    const streamOptions = options.getStream();
    if (all && this.faults.denyAll) throw accessDenied();
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    const filter = options.hasFilter() ? toEventFilter(options.getFilter()!) : undefined;
    const send = (resp: ReadResp) => this.send(call, resp, signal);
    const event = (r: WireRecord) => new ReadRespMsg().setEvent(readEvent(r, structured, !!all || this.streamReadPositions));

    if (options.hasSubscription()) {
      if (backwards) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Subscriptions read forwards only.');
      await this.subscribe(call, options, structured, filter, signal);
      return;
    }
    const count = Number(BigInt.asUintN(53, BigInt(options.getCount() || '0')));
    if (streamOptions) {
      const name = streamName(streamOptions.getStreamIdentifier());
      const records = this.log.stream(name);
      if (records.length === 0) {
        await send(new ReadRespMsg().setStreamNotFound(new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))));
        return;
      }
      const first = firstVisibleRevision(this.log, name);
      const last = records.length - 1;
      if (!backwards) {
        let from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions.hasEnd() ? last + 1 : 0;
        from = Math.max(from, first);
        for (let r = from, n = 0; r <= last && n < count && !signal.aborted; r++, n++) await send(event(records[r]!));
      } else {
        const from = streamOptions.hasRevision() ? Math.min(Number(streamOptions.getRevision()), last) : streamOptions.hasStart() ? Math.min(0, last) : last;
        for (let r = from, n = 0; r >= first && n < count && !signal.aborted; r--, n++) await send(event(records[r]!));
      }
      return;
    }
    if (!all) throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Read needs a stream or $all.');
    const events = this.log.events;
    const matches = filter ?? (() => true);
    if (!backwards) {
      let i = 0;
      if (all.hasEnd()) i = events.length;
      else if (all.hasPosition()) {
        const { commit, prepare } = positionOf(all.getPosition()!);
        if (commit < this.log.endPosition && !this.log.isBoundary(commit)) throw invalidPosition();
        i = this.log.indexAtOrAfter(commit, prepare);
      }
      for (let n = 0; i < events.length && n < count && !signal.aborted; i++) {
        if (!matches(events[i]!)) continue;
        await send(event(events[i]!));
        n++;
      }
    } else {
      let i = events.length - 1;
      if (all.hasStart()) i = -1;
      else if (all.hasPosition()) {
        const { commit, prepare } = positionOf(all.getPosition()!);
        if (commit > this.log.endPosition || !this.log.isBoundary(commit)) throw invalidPosition();
        i = this.log.indexEndingAtOrBefore(commit, prepare);
      }
      for (let n = 0; i >= 0 && n < count && !signal.aborted; i--) {
        if (!matches(events[i]!)) continue;
        await send(event(events[i]!));
        n++;
      }
    }
  }

  /** writes one message, waiting while the transport pushes back */
  private async send(call: ServerWritableStream<ReadReq, ReadResp>, resp: ReadResp, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    if (call.write(resp)) return;
    await drained(call, signal);
  }

  private async subscribe(
    call: ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    structured: boolean,
    filter: EventFilter | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const log = this.log;
    const streamOptions = options.getStream();
    const all = options.getAll();
    // the source: $all (log order) or one stream (revision order)
    let source: () => readonly WireRecord[];
    let next: number;
    let matches: EventFilter = filter ?? (() => true);
    let checkpointInterval = 0;
    let skipUpTo: { commit: number; prepare: number } | undefined;
    if (streamOptions) {
      const name = streamOptions.getStreamIdentifier() ? streamName(streamOptions.getStreamIdentifier()) : '';
      source = () => log.stream(name);
      next = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) + 1 : streamOptions.hasEnd() ? log.stream(name).length : 0;
      // catching up reads the stream as a stream read does: $maxCount / $tb hide older events
      next = Math.max(next, firstVisibleRevision(log, name));
    } else if (all) {
      source = () => log.events;
      if (all.hasPosition()) {
        const { commit, prepare } = positionOf(all.getPosition()!);
        if (commit < log.endPosition && !log.isBoundary(commit)) throw invalidPosition();
        next = log.indexAfter(commit, prepare);
        // a position past the end of the log: events written up to it are not wanted either
        if (commit > log.endPosition) skipUpTo = { commit, prepare };
      } else next = all.hasEnd() ? log.events.length : 0;
      const f = options.getFilter();
      if (f) {
        matches = toEventFilter(f);
        const window = f.hasMax() ? f.getMax() : READ_BATCH_SIZE;
        checkpointInterval = Math.max(1, f.getCheckpointintervalmultiplier()) * window;
      }
    } else throw rpcError(GrpcStatus.INVALID_ARGUMENT, 'Subscribe needs a stream or $all.');

    const faults = this.faults;
    const unavailableAfter = faults.unavailableAfterEvents;
    const slowAfter = faults.slowConsumerAfterEvents;
    faults.unavailableAfterEvents = undefined;
    faults.slowConsumerAfterEvents = undefined;

    await this.send(call, new ReadRespMsg().setConfirmation(new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUuid())), signal);
    let live = false;
    let considered = 0;
    let delivered = 0;
    const checkpoint = (position: number) =>
      this.send(call, new ReadRespMsg().setCheckpoint(new streamsPb.ReadResp.Checkpoint().setCommitPosition(String(position)).setPreparePosition(String(position))), signal);
    /** waits for the transport; a live subscription with too much waiting behind it is dropped */
    const deliver = async (resp: ReadResp): Promise<void> => {
      if (signal.aborted) return;
      if (call.write(resp)) return;
      if (!live) return drained(call, signal);
      let isDrained = false;
      const drain = drained(call, signal).then(() => {
        isDrained = true;
      });
      while (!isDrained && !signal.aborted) {
        if (source().length - next > MAX_LIVE_EVENT_BUFFER) {
          this.slowConsumerDrops += 1;
          throw consumerTooSlow();
        }
        await Promise.race([drain, log.changed(signal)]);
      }
    };

    while (!signal.aborted) {
      const records = source();
      if (next < records.length) {
        const r = records[next++]!;
        if (skipUpTo && (r.position < skipUpTo.commit || (r.position === skipUpTo.commit && r.position <= skipUpTo.prepare))) continue;
        considered += 1;
        if (matches(r)) {
          const resp = new ReadRespMsg().setEvent(readEvent(r, structured));
          await deliver(resp);
          if (faults.deliverTwice) await deliver(resp);
          delivered += 1;
          if (unavailableAfter !== undefined && delivered >= unavailableAfter) throw rpcError(GrpcStatus.UNAVAILABLE, 'Connection lost (wire server fault switch).');
          if (slowAfter !== undefined && delivered >= slowAfter) {
            this.slowConsumerDrops += 1;
            throw consumerTooSlow();
          }
        }
        if (checkpointInterval > 0 && considered >= checkpointInterval) {
          considered = 0;
          await checkpoint(r.position);
        }
        continue;
      }
      if (!live) {
        live = true;
        // a checkpoint on going live, so one is issued within every interval, then CaughtUp (23.10+)
        if (checkpointInterval > 0 && log.endPosition > 0) await checkpoint(log.endPosition);
        if (this.sendsCaughtUp) await this.send(call, new ReadRespMsg().setCaughtUp(new streamsPb.ReadResp.CaughtUp()), signal);
        continue;
      }
      await log.changed(signal);
    }
  }
}

function requiresLeader(metadata: Metadata): boolean {
  return metadata.get('requires-leader').some((v) => String(v) === 'true');
}

function positionOf(p: ReadReq.Options.Position): { commit: number; prepare: number } {
  // ulong.MaxValue (Position.End) and other values past the log read as "beyond the end"
  return { commit: Number(BigInt(p.getCommitPosition())), prepare: Number(BigInt(p.getPreparePosition())) };
}

/** ulong.MaxValue: "no position", as servers before 22.6 put in stream reads */
const NO_POSITION = (2n ** 64n - 1n).toString();

function readEvent(r: WireRecord, structured: boolean, withPosition = true): ReadResp.ReadEvent {
  const position = withPosition ? String(r.position) : NO_POSITION;
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidToDto(r.id, structured))
    .setStreamIdentifier(streamIdentifier(r.stream))
    .setStreamRevision(String(r.revision))
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(r.data)
    .setCustomMetadata(r.metadata);
  const meta = recorded.getMetadataMap();
  meta.set('type', r.type);
  meta.set('created', r.created.toString());
  meta.set('content-type', r.isJson ? 'application/json' : 'application/octet-stream');
  const event = new streamsPb.ReadResp.ReadEvent().setEvent(recorded);
  return withPosition ? event.setCommitPosition(String(r.position)) : event.setNoPosition(new sharedPb.Empty());
}

function statusOf(code: grpc.status, message: string, details?: { bytes: Uint8Array; type: string }): InstanceType<typeof statusPb.Status> {
  const status = new statusPb.Status().setCode(code as number).setMessage(message);
  const any = new anyPb.Any();
  if (details) any.pack(details.bytes, details.type);
  else any.pack(new emptyPb.Empty().serializeBinary(), 'google.protobuf.Empty');
  return status.setDetails(any);
}

/** Google.Rpc.Status.WrongExpectedVersion as BatchAppend answers it */
function wrongExpectedVersionStatus(current: number, expected: number): InstanceType<typeof statusPb.Status> {
  const wev = new sharedPb.WrongExpectedVersion();
  if (current === -1) wev.setCurrentNoStream(new emptyPb.Empty());
  else wev.setCurrentStreamRevision(String(current));
  if (expected === ANY) wev.setExpectedAny(new emptyPb.Empty());
  else if (expected === NO_STREAM) wev.setExpectedNoStream(new emptyPb.Empty());
  else if (expected === STREAM_EXISTS) wev.setExpectedStreamExists(new emptyPb.Empty());
  else wev.setExpectedStreamPosition(String(expected));
  return statusOf(GrpcStatus.ALREADY_EXISTS, 'WrongExpectedVersion', { bytes: wev.serializeBinary(), type: 'event_store.client.WrongExpectedVersion' });
}

function drained(call: NodeJS.EventEmitter, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

export const isSystemStream = (stream: string): boolean => stream.startsWith('$');
export { isMetastream, metastreamOf };

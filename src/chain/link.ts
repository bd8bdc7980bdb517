/**
 * The hash chain over the log (docs/trust.md, "The chain"). Pure: no store, no clock.
 *
 *   link₀ = SHA-256("hallway-chain-v1")
 *   linkₙ = SHA-256(linkₙ₋₁ ‖ enc(eventₙ))
 *
 * `position` here is the event's ordinal in the log (1 for the first event, n for the nth), not
 * the store's own position: the embedded store numbers events 1, 2, 3… while EventStoreDB's
 * positions are byte offsets. The ordinal is what both stores agree on, so the same log gives the
 * same chain in both, and seals name positions every process agrees on.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** What the chain covers of one event, as stored (ciphertext, once the sealing layer is in). */
export interface ChainEvent {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: unknown;
}

export const CHAIN_DOMAIN = 'hallway-chain-v1';
export const GENESIS: Buffer = createHash('sha256').update(CHAIN_DOMAIN).digest();

/**
 * RFC 8785 (JCS) text of a JSON value. A string with a lone surrogate has no RFC 8785 form (the
 * library refuses it); such a value, which only an import could bring, is hashed with each lone
 * surrogate replaced by U+FFFD, so the chain still covers the event instead of stopping on it.
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonicalize(value) ?? 'null';
  } catch (e) {
    if (!(e instanceof Error) || !/surrogate/i.test(e.message)) throw e;
    return canonicalize(wellFormed(value)) ?? 'null';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const toWellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');

function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return toWellFormed(v);
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [toWellFormed(k), wellFormed(x)]));
  return v;
}

/**
 * enc(event): each of position, id, stream, revision, type, data and metadata as its UTF-8 length
 * (4 bytes, big-endian) and its bytes, so no two different events encode alike (a field's end
 * cannot be moved into the next one). Written into one buffer: this runs once per event of the log.
 */
export function encodeEvent(position: number, e: ChainEvent): Buffer {
  const fields = [String(position), e.id, e.stream, String(e.revision), e.type, canonicalJson(e.data), canonicalJson(e.metadata)];
  let size = 0;
  for (const f of fields) size += 4 + Buffer.byteLength(f, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const f of fields) {
    const n = out.write(f, at + 4, 'utf8');
    out.writeUInt32BE(n, at);
    at += 4 + n;
  }
  return out;
}

/** SHA-256 of the event as stored (what a receipt carries) */
export const eventHash = (position: number, e: ChainEvent): Buffer => createHash('sha256').update(encodeEvent(position, e)).digest();

/** linkₙ from linkₙ₋₁ and eventₙ */
export const nextLink = (previous: Buffer, position: number, e: ChainEvent): Buffer =>
  createHash('sha256').update(previous).update(encodeEvent(position, e)).digest();

/** Both at once, encoding the event once. */
export function hashAndLink(previous: Buffer, position: number, e: ChainEvent): { hash: Buffer; link: Buffer } {
  const enc = encodeEvent(position, e);
  return { hash: createHash('sha256').update(enc).digest(), link: createHash('sha256').update(previous).update(enc).digest() };
}

/** The links of a whole sequence of events from `link₀` (for tests and small logs). */
export function chainOf(events: Iterable<ChainEvent>, from: { position: number; link: Buffer } = { position: 0, link: GENESIS }): Buffer[] {
  const out: Buffer[] = [];
  let link = from.link;
  let position = from.position;
  for (const e of events) {
    position += 1;
    link = nextLink(link, position, e);
    out.push(link);
  }
  return out;
}

export const hex = (b: Buffer): string => b.toString('hex');

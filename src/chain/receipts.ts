/**
 * Story receipts (docs/trust.md "Receipts"). A receipt names the teller's StorySubmitted event
 * (its id and position), the SHA-256 of the event as stored and the chain link at it; no story
 * text, so it is safe to keep anywhere. Checking one recomputes the chain from the last good seal
 * before the event to the first seal after it: about 1,000 to 2,000 events, whatever the log's
 * size.
 */
import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import { LogSealed, sealStream } from '../../events/seals.ts';
import type { Views } from '../projections/runtime.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';
import { GENESIS, hashAndLink, nextLink } from './link.ts';
import { SEAL_EVERY } from './keeper.ts';
import { checkSealSignature } from './seal.ts';
import type { SealData } from './seal.ts';
import { chainQueries } from './tables.ts';

export const RECEIPT_FORMAT = 'hallway-story-receipt-v1';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');
export const Receipt = z
  .object({
    receipt: z.literal(RECEIPT_FORMAT),
    storyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    eventId: z.string().min(1).max(100),
    position: z.number().int().positive(),
    eventHash: Hex64,
    chainLink: Hex64,
    issuedAt: z.string().max(40).optional(),
  })
  .strict();
export type Receipt = z.infer<typeof Receipt>;

/** reads the log after a store position, page by page */
async function* logAfter(store: EventStore, after: number): AsyncGenerator<RecordedEvent> {
  for (;;) {
    const page = await store.readAll({ after, limit: 500 });
    yield* page;
    if (page.length < 500) return;
    after = page[page.length - 1]!.position;
  }
}

/**
 * The receipt for a story, from the log as it is now: undefined when the story has no
 * StorySubmitted event in this store.
 */
export async function receiptFor(store: EventStore, views: Views, storyId: string, clock: () => Date = () => new Date()): Promise<Receipt | undefined> {
  const submitted = (await store.readStream(`story-${storyId}`)).find((e) => e.type === 'StorySubmitted');
  if (!submitted) return undefined;
  const q = chainQueries(views);
  // EventStoreDB's stream reads may not carry positions (before 22.6): then from the start
  const mark = submitted.position > 0 ? q.markBeforePosition.get(submitted.position) : undefined;
  let ordinal = mark?.ordinal ?? 0;
  let link: Buffer = mark ? Buffer.from(mark.link) : GENESIS;
  for await (const e of logAfter(store, mark?.position ?? 0)) {
    ordinal += 1;
    if (e.id === submitted.id) {
      const r = hashAndLink(link, ordinal, e);
      return { receipt: RECEIPT_FORMAT, storyId, eventId: e.id, position: ordinal, eventHash: r.hash.toString('hex'), chainLink: r.link.toString('hex'), issuedAt: clock().toISOString() };
    }
    link = nextLink(link, ordinal, e);
  }
  return undefined;
}

export type ReceiptVerdict =
  /** the event is there as told, and so is the chain through it */
  | { verdict: 'unchanged'; position: number; sealedBy: number | undefined; nextSeal: number | undefined }
  /** the event or the log before it differs from the receipt, or the seal after it disagrees */
  | { verdict: 'changed'; position: number; why: string }
  | { verdict: 'missing'; why: string };

/** a seal read from its stream, if there is one and it is signed by a configured key */
async function goodSeal(store: EventStore, upTo: number, keys: ReadonlyMap<string, KeyObject>): Promise<SealData | undefined> {
  for (const e of await store.readStream(sealStream(upTo))) {
    const parsed = LogSealed.schema.safeParse(e.data);
    if (parsed.success && parsed.data.upToPosition === upTo && checkSealSignature(parsed.data, keys).ok) return parsed.data;
  }
  return undefined;
}

/**
 * Checks a receipt against the log: from the last good seal at a 1,000th position before the
 * event (or the log's start), through the event, to the first seal at or after it.
 */
export async function checkReceipt(store: EventStore, views: Views, publicKeys: ReadonlyMap<string, KeyObject>, receipt: Receipt): Promise<ReceiptVerdict> {
  const q = chainQueries(views);
  // the start: a 1,000th position before the event whose seal is good and whose place in the store is known
  let start: { ordinal: number; position: number; link: Buffer } = { ordinal: 0, position: 0, link: GENESIS };
  for (let s = Math.floor((receipt.position - 1) / SEAL_EVERY) * SEAL_EVERY; s > 0; s -= SEAL_EVERY) {
    const mark = q.mark.get(s);
    const seal = mark ? await goodSeal(store, s, publicKeys) : undefined;
    if (mark && seal) {
      start = { ordinal: s, position: mark.position, link: Buffer.from(seal.chainHash, 'hex') };
      break;
    }
  }
  // the end: the first seal at or after the event, known to the keeper or at the next 1,000th position
  const known = q.sealFrom.get(receipt.position)?.upToPosition;
  const nextThousand = Math.ceil(receipt.position / SEAL_EVERY) * SEAL_EVERY;
  const candidates = [...new Set([known, nextThousand].filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
  let end: SealData | undefined;
  for (const c of candidates) {
    end = await goodSeal(store, c, publicKeys);
    if (end) break;
  }

  let ordinal = start.ordinal;
  let link = start.link;
  let found: { position: number; hashOk: boolean; linkOk: boolean } | undefined;
  // past the receipt's position by a seal interval, the event is not coming
  const giveUpAfter = Math.max(receipt.position, end?.upToPosition ?? 0) + SEAL_EVERY;
  for await (const e of logAfter(store, start.position)) {
    ordinal += 1;
    const r = hashAndLink(link, ordinal, e);
    link = r.link;
    if (e.id === receipt.eventId) {
      found = { position: ordinal, hashOk: r.hash.toString('hex') === receipt.eventHash, linkOk: r.link.toString('hex') === receipt.chainLink };
      if (!end || !found.hashOk || !found.linkOk) break;
    }
    if (found && end && ordinal >= end.upToPosition) break;
    if (!found && ordinal >= giveUpAfter) break;
  }
  if (!found) return { verdict: 'missing', why: `no event ${receipt.eventId} in the log near position ${receipt.position}` };
  if (!found.hashOk) return { verdict: 'changed', position: found.position, why: found.position === receipt.position ? 'the event as stored is not the one the receipt was issued for' : `the event now stands at position ${found.position}, not ${receipt.position}: the log before it changed` };
  if (!found.linkOk) return { verdict: 'changed', position: found.position, why: 'the event is unchanged, but the log before it changed (its chain link differs)' };
  if (end && ordinal >= end.upToPosition) {
    if (link.toString('hex') !== end.chainHash) return { verdict: 'changed', position: found.position, why: `the log between it and the seal at position ${end.upToPosition} no longer matches that seal` };
    return { verdict: 'unchanged', position: found.position, sealedBy: end.upToPosition, nextSeal: undefined };
  }
  return { verdict: 'unchanged', position: found.position, sealedBy: undefined, nextSeal: nextThousand };
}

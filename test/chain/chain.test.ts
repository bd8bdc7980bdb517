/**
 * The hash chain and the seal functions (docs/trust.md "The chain", "Seals"), and the same chain
 * from both stores: the embedded SQLite store on disk and the EventStoreDB adapter talking to the
 * in-process wire server.
 */
import { generateKeyPairSync, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS, canonicalJson, chainOf, encodeEvent, eventHash, nextLink } from '../../src/chain/link.ts';
import type { ChainEvent } from '../../src/chain/link.ts';
import { checkSealSignature, keyIdOf, makeSeal, parsePublicKeys, sealEventId, sealMessage } from '../../src/chain/seal.ts';
import type { SealKey } from '../../src/chain/seal.ts';
import { LogSealed } from '../../events/seals.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/store/port.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { tempDir } from '../helpers.ts';

const ev = (over: Partial<ChainEvent> = {}): ChainEvent => ({
  id: 'e-1',
  stream: 'story-s1',
  revision: 0,
  type: 'StorySubmitted',
  data: { title: 'T', body: 'B', themes: ['a', 'b'] },
  metadata: { at: '2026-01-01T00:00:00.000Z', actor: 'emp-1' },
  ...over,
});

const newKey = (): SealKey => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
};

describe('the chain', () => {
  it('starts at SHA-256("hallway-chain-v1") and each link is SHA-256(previous ‖ enc(event))', () => {
    expect(GENESIS.toString('hex')).toBe(createHash('sha256').update('hallway-chain-v1').digest('hex'));
    const e = ev();
    const expected = createHash('sha256').update(GENESIS).update(encodeEvent(1, e)).digest();
    expect(nextLink(GENESIS, 1, e).equals(expected)).toBe(true);
    expect(chainOf([e, ev({ id: 'e-2', revision: 1 })])[0]!.equals(expected)).toBe(true);
  });

  it('does not depend on key order or whitespace of data and metadata (RFC 8785)', () => {
    const a = ev({ data: { b: 1, a: [1, { z: 'x', y: 2.5 }] }, metadata: { actor: 'x', at: 't' } });
    const b = ev({ data: JSON.parse('{ "a": [1, {"y": 2.50, "z": "x"}],\n "b": 1.0 }') as unknown, metadata: { at: 't', actor: 'x' } });
    expect(eventHash(1, a).equals(eventHash(1, b))).toBe(true);
    expect(canonicalJson({ b: 1, a: 'é', c: [true, null] })).toBe('{"a":"é","b":1,"c":[true,null]}');
    // a lone surrogate has no RFC 8785 form: the event is still hashed, not refused
    expect(canonicalJson({ s: 'a\ud800b' })).toBe('{"s":"a\ufffdb"}');
  });

  it('changes with every covered field, and the length prefixes keep field boundaries apart', () => {
    const base = eventHash(7, ev()).toString('hex');
    const variants = [
      eventHash(8, ev()),
      eventHash(7, ev({ id: 'e-2' })),
      eventHash(7, ev({ stream: 'story-s2' })),
      eventHash(7, ev({ revision: 1 })),
      eventHash(7, ev({ type: 'StoryAmended' })),
      eventHash(7, ev({ data: { title: 'T', body: 'B!', themes: ['a', 'b'] } })),
      eventHash(7, ev({ metadata: { at: '2026-01-01T00:00:00.001Z', actor: 'emp-1' } })),
      // the same bytes split differently between id and stream
      eventHash(7, ev({ id: 'e-1s', stream: 'tory-s1' })),
    ].map((h) => h.toString('hex'));
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('a change, a removal or a swap anywhere changes every link after it', () => {
    const log = [1, 2, 3, 4].map((i) => ev({ id: `e-${i}`, revision: i - 1 }));
    const good = chainOf(log).map((b) => b.toString('hex'));
    const changed = chainOf([log[0]!, { ...log[1]!, data: { title: 'X' } }, log[2]!, log[3]!]).map((b) => b.toString('hex'));
    const removed = chainOf([log[0]!, log[2]!, log[3]!]).map((b) => b.toString('hex'));
    const swapped = chainOf([log[0]!, log[2]!, log[1]!, log[3]!]).map((b) => b.toString('hex'));
    expect(changed[0]).toBe(good[0]);
    expect(changed.slice(1).every((l, i) => l !== good[i + 1])).toBe(true);
    expect(removed[2]).not.toBe(good[2]);
    expect(removed[2]).not.toBe(good[3]);
    expect(swapped[3]).not.toBe(good[3]);
  });
});

describe('seals', () => {
  const key = newKey();
  const hash = 'ab'.repeat(32);

  it('sign "hallway-seal-v1" ‖ upToPosition ‖ chainHash with Ed25519, and verify with the public key', () => {
    expect(sealMessage(1000, hash).subarray(0, 15).toString()).toBe('hallway-seal-v1');
    expect(sealMessage(1000, hash).length).toBe(15 + 8 + 32);
    const seal = makeSeal(key, 1000, hash);
    expect(LogSealed.schema.safeParse(seal).success).toBe(true);
    expect(checkSealSignature(seal, new Map([[key.keyId, key.publicKey]]))).toEqual({ ok: true });
  });

  it('refuse a seal whose position or hash was altered, or that another key signed', () => {
    const keys = new Map([[key.keyId, key.publicKey]]);
    const seal = makeSeal(key, 1000, hash);
    expect(checkSealSignature({ ...seal, upToPosition: 2000 }, keys).ok).toBe(false);
    expect(checkSealSignature({ ...seal, chainHash: 'cd'.repeat(32) }, keys).ok).toBe(false);
    const other = newKey();
    // signed by another key that claims to be the configured one
    const forged = { ...makeSeal(other, 1000, hash), keyId: key.keyId };
    expect(checkSealSignature(forged, keys)).toEqual({ ok: false, why: 'its signature does not verify with the configured public key' });
    // signed by another key under its own id
    expect(checkSealSignature(makeSeal(other, 1000, hash), keys).ok).toBe(false);
  });

  it('verify old seals after a rotation: a file of public keys holds both', () => {
    const other = newKey();
    const pem = [key, other].map((k) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString()).join('\n');
    const keys = parsePublicKeys(pem, 'test');
    expect(keys.size).toBe(2);
    expect(checkSealSignature(makeSeal(key, 5, hash), keys).ok).toBe(true);
    expect(checkSealSignature(makeSeal(other, 5, hash), keys).ok).toBe(true);
  });

  it('have one id per position, the same in every process', () => {
    expect(sealEventId(1000)).toBe(sealEventId(1000));
    expect(sealEventId(1000)).not.toBe(sealEventId(2000));
  });
});

describe('the same chain from both stores', () => {
  let server: EsdbWireServer;
  const tmp = tempDir('hallway-chain-');
  const stores: EventStore[] = [];

  beforeAll(async () => {
    server = await EsdbWireServer.start();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await server.stop();
    tmp.remove();
  });

  const readEverything = async (store: EventStore): Promise<RecordedEvent[]> => {
    const out: RecordedEvent[] = [];
    for (let after = 0; ; ) {
      const page = await store.readAll({ after, limit: 100 });
      out.push(...page);
      if (page.length < 100) return out;
      after = page[page.length - 1]!.position;
    }
  };

  it('gives the same links from the embedded store and EventStoreDB (wire server)', async () => {
    const embedded = openEmbeddedStore(`${tmp.dir}/events.db`, { synchronous: 'NORMAL' });
    const esdb = openEventStoreDB(server.url);
    stores.push(embedded, esdb);
    // ids Hallway makes (UUIDs) and ids from an HR export (mapped to UUIDs by the adapter), nested data
    const batches: [string, NewEvent[]][] = [];
    for (let i = 0; i < 30; i++) {
      const stream = `story-s${i % 7}`;
      const id = i % 3 === 0 ? `hr-${i}` : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      batches.push([stream, [{ id, type: 'StoryHeard', data: { storyId: `s${i % 7}`, n: i / 4, nested: { z: [i, 'é'], a: null } }, metadata: { at: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`, actor: `emp-${i}` } }]]);
    }
    for (const [stream, events] of batches) {
      await embedded.append(stream, events);
      await esdb.append(stream, events);
    }
    const fromEmbedded = await readEverything(embedded);
    const fromEsdb = await readEverything(esdb);
    expect(fromEsdb.length).toBe(30);
    // the stores number events differently (EventStoreDB: byte offsets) ...
    expect(fromEsdb.map((e) => e.position)).not.toEqual(fromEmbedded.map((e) => e.position));
    // ... and the chain, over positions that are ordinals, is the same
    const a = chainOf(fromEmbedded).map((b) => b.toString('hex'));
    const b = chainOf(fromEsdb).map((b) => b.toString('hex'));
    expect(b).toEqual(a);
    // and `hallway verify`'s walk finds both logs sound, with the same chain head
    const { verifyStore } = await import('../../src/cli/verify.ts');
    const [ve, vd] = [await verifyStore(embedded, {}), await verifyStore(esdb, {})];
    expect(ve.problems).toEqual([]);
    expect(vd.problems).toEqual([]);
    expect(vd.head).toBe(ve.head);
    expect(ve.head).toBe(a[a.length - 1]);
  });
});

describe('seals in export and import', () => {
  const tmp = tempDir('hallway-chain-export-');
  afterAll(() => tmp.remove());

  it('export leaves seals out, and import refuses a LogSealed line, appending nothing', async () => {
    const { exportEvents } = await import('../../src/cli/export.ts');
    const { importLines, ImportRefused } = await import('../../src/importer.ts');
    const store = openEmbeddedStore(`${tmp.dir}/events.db`, { synchronous: 'NORMAL' });
    try {
      const key = newKey();
      await store.append('export-x', [{ id: 'x-1', type: 'DataExported', data: { exportId: 'x', what: 'log-export', detail: '0 events' }, metadata: { at: '2026-01-01T00:00:00.000Z' } }]);
      const seal = makeSeal(key, 1, 'ab'.repeat(32));
      await store.append('seal-1', [{ id: sealEventId(1), type: 'LogSealed', data: seal, metadata: { at: '2026-01-01T00:00:01.000Z', actor: 'system' } }]);
      let out = '';
      const n = await exportEvents(store, async (c) => void (out += c));
      expect(n).toBe(1);
      expect(out).toContain('DataExported');
      expect(out).not.toContain('LogSealed');

      const line = JSON.stringify({ id: 'seal-99', type: 'LogSealed', stream: 'seal-99', data: { ...seal, upToPosition: 99 }, metadata: { at: '2026-01-01T00:00:02.000Z' } });
      const before = await store.headPosition();
      await expect(importLines(store, [out.trim(), line])).rejects.toThrow(ImportRefused);
      await expect(importLines(store, [line])).rejects.toThrow(/line 1: LogSealed: seals belong to the archive that made them/);
      expect(await store.headPosition()).toBe(before);
    } finally {
      await store.close();
    }
  });
});

/**
 * Receipts, /verify and the seal on /admin (issue 13, tamper evidence; docs/trust.md "Receipts").
 * One archive with a seal key: 1,100 events, a story told through the form, then more events,
 * so seals stand at 1,000 (before the story), 2,000 and 3,000 (after it). The last case tampers
 * with the story's event in events.db itself (triggers dropped) and is therefore last.
 */
import Database from '../../src/store/sqlite-driver.ts';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReceipt } from '../../src/chain/receipts.ts';
import type { Receipt } from '../../src/chain/receipts.ts';
import { createSealKeyFiles } from '../../src/chain/seal.ts';
import type { EventStore, NewEvent } from '../../src/store/port.ts';
import { signedIn } from '../auth-helpers.ts';
import { tempDir, testHallway } from '../helpers.ts';
import { dom, get, post, storyFields } from './stories-given.ts';

let h: Awaited<ReturnType<typeof testHallway>>;
let plain: Awaited<ReturnType<typeof testHallway>>;
const keys = tempDir('hallway-seal-key-');
let teller: Awaited<ReturnType<typeof signedIn>>;
let colleague: Awaited<ReturnType<typeof signedIn>>;
let admin: Awaited<ReturnType<typeof signedIn>>;
let storyId: string;
let receipt: Receipt;

async function filler(n: number): Promise<void> {
  const items = Array.from({ length: n }, () => {
    const exportId = randomUUID();
    const e: NewEvent = { id: randomUUID(), type: 'DataExported', data: { exportId, what: 'log-export', detail: 'filler' }, metadata: { at: h.clock().toISOString(), actor: 'system' } };
    return { stream: `export-${exportId}`, events: [e], expectedRevision: 'no_stream' as const };
  });
  await h.store.appendBatch(items);
}

/** waits until the keeper has chained and recorded the whole log (its own seals included) */
async function keeperAtHead(): Promise<void> {
  const recorded = h.runtime.db.prepare<[], { position: number }>('SELECT position FROM chain_state');
  for (let i = 0; i < 1000; i++) {
    const head = await h.store.headPosition();
    if ((recorded.get()?.position ?? 0) >= head) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the chain keeper did not reach the head');
}

const verifyForm = (cookie: string, text: string) => post(h.app, '/verify', cookie, { receipt: text });

beforeAll(async () => {
  const keyFile = join(keys.dir, 'seal.key');
  createSealKeyFiles(keyFile);
  h = await testHallway({ env: { HALLWAY_SEAL_KEY_FILE: keyFile } });
  plain = await testHallway();
  teller = await signedIn(h, { name: 'Tina Teller' });
  colleague = await signedIn(h, { name: 'Colin Colleague' });
  admin = await signedIn(h, { roles: ['admin'] });
  await filler(1100 - (await h.store.headPosition()));
  const told = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'The receipt story', body: 'Words only the log should hold.' }));
  expect(told.status).toBe(303);
  storyId = told.headers.get('location')!.split('/')[2]!.split('?')[0]!;
  await filler(3050 - (await h.store.headPosition()));
  await keeperAtHead();
  const res = await get(h.app, `/stories/${storyId}/receipt`, teller.cookie);
  expect(res.status).toBe(200);
  receipt = (await res.json()) as Receipt;
}, 120_000);

afterAll(async () => {
  await h?.dispose();
  await plain?.dispose();
  keys.remove();
});

describe('receipts', () => {
  it('the teller sees their receipt on the story page; a colleague does not', async () => {
    const mine = dom(await (await get(h.app, `/stories/${storyId}`, teller.cookie)).text());
    const section = mine.querySelector('.story-receipt')!;
    expect(section.querySelector('h2')!.textContent).toBe('Your receipt');
    expect(section.textContent).toContain(receipt.eventId);
    expect(section.textContent).toContain(`position ${receipt.position}`);
    expect(section.textContent).toContain(receipt.chainLink);
    expect(section.querySelector(`a[href="/stories/${storyId}/receipt"]`)).not.toBeNull();
    const theirs = await (await get(h.app, `/stories/${storyId}`, colleague.cookie)).text();
    expect(theirs).toContain('The receipt story');
    expect(theirs).not.toContain('Your receipt');
    expect(theirs).not.toContain(receipt.chainLink);
  });

  it('downloads as JSON: the StorySubmitted event id, its position, its SHA-256 and the chain link; no story text', async () => {
    const res = await get(h.app, `/stories/${storyId}/receipt`, teller.cookie);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hallway-receipt-${storyId}.json"`);
    const text = await res.text();
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(['chainLink', 'eventHash', 'eventId', 'issuedAt', 'position', 'receipt', 'storyId']);
    expect(receipt.receipt).toBe('hallway-story-receipt-v1');
    const submitted = (await h.store.readStream(`story-${storyId}`))[0]!;
    expect(submitted.type).toBe('StorySubmitted');
    expect(receipt.eventId).toBe(submitted.id);
    // the embedded store numbers events as the chain does (no event was removed)
    expect(receipt.position).toBe(submitted.position);
    expect(receipt.position).toBeGreaterThan(1000);
    expect(receipt.position).toBeLessThan(2000);
    expect(text).not.toContain('receipt story');
    expect(text).not.toContain('Words only');
    expect(text).not.toContain('Grace Hopper');
  });

  it("a colleague cannot download another's receipt (404), and signed out it is the sign-in redirect", async () => {
    const theirs = await get(h.app, `/stories/${storyId}/receipt`, colleague.cookie);
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toContain(receipt.chainLink);
    const out = await h.app.request(`/stories/${storyId}/receipt`);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(`/stories/${storyId}/receipt`)}`);
  });
});

describe('/verify', () => {
  it('signed out: the sign-in redirect, for the form and for a check', async () => {
    const form = await h.app.request('/verify');
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/sign-in?next=%2Fverify');
    const check = await h.app.request('/verify', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ receipt: JSON.stringify(receipt) }) });
    expect(check.status).toBe(303);
    expect(check.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('a pasted receipt: in the log, unchanged, and the chain through it matches the seals', async () => {
    const res = await verifyForm(colleague.cookie, JSON.stringify(receipt));
    expect(res.status).toBe(200);
    const doc = dom(await res.text());
    expect(doc.querySelector('.verdict h2')!.textContent).toBe('In the log, unchanged');
    expect(doc.querySelector('.verdict')!.textContent).toContain('the chain through it matches the seals (checked up to the seal at position 2000)');
  });

  it('an uploaded receipt file gives the same answer', async () => {
    const body = new FormData();
    body.set('file', new File([JSON.stringify(receipt, null, 2)], 'hallway-receipt.json', { type: 'application/json' }));
    const res = await h.app.request('/verify', { method: 'POST', headers: { Cookie: teller.cookie, Origin: 'http://localhost' }, body });
    expect(res.status).toBe(200);
    expect(dom(await res.text()).querySelector('.verdict h2')!.textContent).toBe('In the log, unchanged');
  });

  it('recomputes from the seal before the event to the seal after it, not the whole log', async () => {
    let read = 0;
    const counting: EventStore = new Proxy(h.chain!.store, {
      get(target, key) {
        if (key === 'readAll') return async (o: Parameters<EventStore['readAll']>[0]) => {
          const page = await target.readAll(o);
          read += page.length;
          return page;
        };
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const verdict = await checkReceipt(counting, h.runtime.db, h.chain!.publicKeys, receipt);
    expect(verdict).toMatchObject({ verdict: 'unchanged', sealedBy: 2000 });
    // from position 1,000 to 2,000 (pages of 500), of a log of more than 3,000
    expect(read).toBeLessThanOrEqual(1500);
    expect(await h.store.headPosition()).toBeGreaterThan(3000);
  });

  it('refuses what is not a receipt with 422 and the reason, and appends nothing', async () => {
    const head = await h.store.headPosition();
    const notJson = await verifyForm(teller.cookie, 'hello <script>alert(1)</script>');
    expect(notJson.status).toBe(422);
    const html = await notJson.text();
    expect(html).toContain('This is not a receipt');
    expect(html).not.toContain('<script>alert(1)</script>');
    const wrongShape = await verifyForm(teller.cookie, JSON.stringify({ ...receipt, eventHash: 'nope' }));
    expect(wrongShape.status).toBe(422);
    expect(await wrongShape.text()).toContain('This is not a Hallway story receipt (eventHash: must be 64 hex digits)');
    const empty = await verifyForm(teller.cookie, '  ');
    expect(empty.status).toBe(422);
    expect(await h.store.headPosition()).toBe(head);
  });

  it('a receipt for an event the log does not hold: missing', async () => {
    const res = await verifyForm(teller.cookie, JSON.stringify({ ...receipt, eventId: randomUUID() }));
    expect(dom(await res.text()).querySelector('.verdict h2')!.textContent).toBe('Missing');
  });

  it('after tampering with the story event in events.db: changed', async () => {
    const db = new Database(join(h.dir, 'events.db'));
    try {
      db.exec('DROP TRIGGER events_are_never_updated');
      db.prepare("UPDATE events SET data = json_set(data, '$.title', 'A quieter story') WHERE id = ?").run(receipt.eventId);
    } finally {
      db.close();
    }
    const res = await verifyForm(teller.cookie, JSON.stringify(receipt));
    const verdict = dom(await res.text()).querySelector('.verdict')!;
    expect(verdict.querySelector('h2')!.textContent).toBe('Changed');
    expect(verdict.textContent).toContain('the event as stored is not the one the receipt was issued for');
  });
});

describe('/admin', () => {
  it('shows the latest seal (position and chain hash) with a copy button', async () => {
    const res = await get(h.app, '/admin', admin.cookie);
    expect(res.status).toBe(200);
    const doc = dom(await res.text());
    const section = doc.querySelector('.admin-seal')!;
    expect(section.textContent).toContain('covers the log up to position 3000');
    const field = section.querySelector('input#seal-chain-hash')!;
    expect(field.getAttribute('value')).toMatch(/^position 3000: [0-9a-f]{64}$/);
    // the page's copy button (public/hallway.js shows and runs it; no inline script under the CSP)
    expect(section.querySelector('button[data-copy-for="seal-chain-hash"]')).not.toBeNull();
    expect(section.querySelector('script')).toBeNull();
    expect(section.textContent).not.toContain('Sealing is off');
  });

  it('says when sealing is off (no seal key configured)', async () => {
    const a = await signedIn(plain, { roles: ['admin'] });
    const doc = dom(await (await get(plain.app, '/admin', a.cookie)).text());
    expect(doc.querySelector('.admin-seal')!.textContent).toContain('Sealing is off: no seal key is configured');
    expect(doc.querySelector('#seal-chain-hash')).toBeNull();
  });
});

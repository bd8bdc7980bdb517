import { describe, expect, it } from 'vitest';
import { openViews } from '../../src/projections/runtime.ts';
import { keptLatest, keptLatestSize, refreshesSettled } from '../../src/read/kept-latest.ts';
import type { KeptLatestOptions } from '../../src/read/kept-latest.ts';
import { gatedComputation } from './gated-computation.ts';

/**
 * Issue 10: the dashboard's page served stale-while-revalidate. A computation that the test
 * finishes by hand stands in for the worker's recount, so what each request gets, and how many
 * computations run, can be seen at every step.
 */
function harness(staleForMs: number) {
  let version = 1;
  const gate = gatedComputation();
  const opts: KeptLatestOptions<string, string> = {
    version: () => String(version),
    inputKey: (input) => input,
    compute: (input) => gate.run(() => ({ value: `${input}@${version}`, version: String(version) })),
    staleForMs,
    sizeOf: (v) => v.length,
  };
  return {
    opts,
    setVersion: (v: number) => void (version = v),
    computations: gate.computations,
    most: gate.most,
    /** finishes the oldest computation still running, then lets the loop go on */
    finishOne: async () => {
      while (!gate.waiting()) await new Promise((r) => setImmediate(r));
      gate.finish();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('keptLatest: the last complete value, refreshed off the request path', () => {
  it('serves the stale value at once while one refresh runs, the newest version winning', async () => {
    const db = openViews(':memory:');
    const h = harness(60_000);
    const ask = () => keptLatest(db, 'page', 'w30', h.opts).then((l) => l.value);
    // nothing kept yet: the first requests wait for the one computation
    const first = [ask(), ask()];
    expect(h.computations()).toBe(1);
    await h.finishOne();
    expect(await Promise.all(first)).toEqual(['w30@1', 'w30@1']);

    // an exposure: the kept page is served at once, and one refresh starts
    h.setVersion(2);
    expect(await ask()).toBe('w30@1');
    expect(h.computations()).toBe(2);
    // more exposures while it runs: still served at once, no second computation in flight
    h.setVersion(3);
    expect(await ask()).toBe('w30@1');
    h.setVersion(4);
    expect(await ask()).toBe('w30@1');
    expect(h.computations()).toBe(2);
    await h.finishOne(); // the refresh at version 2 ends; one more starts, at the newest version (4)
    expect(h.computations()).toBe(3);
    expect(await ask()).toBe('w30@2');
    await h.finishOne();
    await refreshesSettled(db);
    expect(await ask()).toBe('w30@4');
    expect(h.computations()).toBe(3); // versions 3 and 4 cost one computation
    expect(h.most()).toBe(1);
    db.close();
  });

  it('a new input (the window moved a minute) is refreshed the same way, and a current value computes nothing', async () => {
    const db = openViews(':memory:');
    const h = harness(60_000);
    const first = keptLatest(db, 'page', 'w30 to 12:01', h.opts);
    await h.finishOne();
    expect((await first).value).toBe('w30 to 12:01@1');
    expect((await keptLatest(db, 'page', 'w30 to 12:02', h.opts)).value).toBe('w30 to 12:01@1');
    await h.finishOne();
    expect((await keptLatest(db, 'page', 'w30 to 12:02', h.opts)).value).toBe('w30 to 12:02@1');
    expect(h.computations()).toBe(2);
    db.close();
  });

  it('serves a stale value only while it is younger than staleForMs (60 s on the dashboard); older, the request waits', async () => {
    const db = openViews(':memory:');
    const h = harness(60_000);
    let clock = 0;
    const opts = { ...h.opts, now: () => clock };
    const first = keptLatest(db, 'page', 'all', opts);
    await h.finishOne();
    expect((await first).value).toBe('all@1');
    // made at 0: at 59,999 ms a change is served stale at once while the refresh runs
    clock = 59_999;
    h.setVersion(2);
    expect((await keptLatest(db, 'page', 'all', opts)).value).toBe('all@1');
    await h.finishOne();
    await refreshesSettled(db);
    // the refresh started at 59,999; a change at 60,000 ms later than that is not served stale
    clock = 59_999 + 60_000;
    h.setVersion(3);
    let answered = false;
    const waiting = keptLatest(db, 'page', 'all', opts).then((l) => {
      answered = true;
      return l;
    });
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    await h.finishOne();
    expect((await waiting).value).toBe('all@3');
    db.close();
  });

  it('refreshes at most every refreshEveryMs while serving stale: changes in between wait for that turn, then one refresh takes the newest', async () => {
    const db = openViews(':memory:');
    const h = harness(60_000);
    let clock = 0;
    const sleeps: { ms: number; wake: () => void }[] = [];
    const opts = { ...h.opts, now: () => clock, refreshEveryMs: 5_000, sleep: (ms: number) => new Promise<void>((wake) => void sleeps.push({ ms, wake })) };
    const first = keptLatest(db, 'page', 'all', opts);
    await h.finishOne();
    expect((await first).value).toBe('all@1');
    // a change 1 s after the value was made: served stale, and the refresh waits for its turn (4 s)
    clock = 1_000;
    h.setVersion(2);
    expect((await keptLatest(db, 'page', 'all', opts)).value).toBe('all@1');
    await new Promise((r) => setImmediate(r));
    expect(sleeps.map((s) => s.ms)).toEqual([4_000]);
    expect(h.computations()).toBe(1);
    // more changes meanwhile: still the kept value, no second wait, nothing computed
    h.setVersion(3);
    expect((await keptLatest(db, 'page', 'all', opts)).value).toBe('all@1');
    expect(sleeps.length).toBe(1);
    expect(h.computations()).toBe(1);
    // its turn: one computation, of the newest version
    clock = 5_000;
    sleeps.shift()!.wake();
    await h.finishOne();
    await refreshesSettled(db);
    expect(h.computations()).toBe(2);
    expect((await keptLatest(db, 'page', 'all', opts)).value).toBe('all@3');
    db.close();
  });

  it('waits for the refresh when nothing young enough is kept (staleForMs 0: read-your-writes)', async () => {
    const db = openViews(':memory:');
    const h = harness(0);
    const first = keptLatest(db, 'page', 'all', h.opts);
    await h.finishOne();
    expect((await first).value).toBe('all@1');
    h.setVersion(2);
    const waiting = [keptLatest(db, 'page', 'all', h.opts), keptLatest(db, 'page', 'all', h.opts)];
    expect(h.computations()).toBe(2); // two requests, one refresh
    await h.finishOne();
    expect((await Promise.all(waiting)).map((l) => l.value)).toEqual(['all@2', 'all@2']);
    db.close();
  });

  it('a failed refresh leaves the kept value and lets the next request try again', async () => {
    const db = openViews(':memory:');
    let fail = false;
    let version = 1;
    const opts: KeptLatestOptions<string, string> = {
      version: () => String(version),
      inputKey: (i) => i,
      compute: async (i) => {
        if (fail) throw new Error('the worker failed');
        return { value: `${i}@${version}`, version: String(version) };
      },
      staleForMs: 60_000,
    };
    expect((await keptLatest(db, 'page', 'w', opts)).value).toBe('w@1');
    fail = true;
    version = 2;
    expect((await keptLatest(db, 'page', 'w', opts)).value).toBe('w@1');
    await refreshesSettled(db);
    fail = false;
    expect((await keptLatest(db, 'page', 'w', opts)).value).toBe('w@1');
    await refreshesSettled(db);
    expect((await keptLatest(db, 'page', 'w', opts)).value).toBe('w@2');
    db.close();
  });

  it('keeps at most 16 keys, the least recently used dropped first', async () => {
    const db = openViews(':memory:');
    let computed = 0;
    const opts: KeptLatestOptions<string, string> = {
      version: () => '1',
      inputKey: (i) => i,
      compute: async (i) => {
        computed += 1;
        return { value: i, version: '1' };
      },
      staleForMs: 60_000,
      sizeOf: (v) => v.length,
    };
    for (let i = 0; i < 16; i++) await keptLatest(db, `k${i}`, `value ${i}`, opts);
    await keptLatest(db, 'k0', 'value 0', opts); // used: moves to the end
    await keptLatest(db, 'k16', 'value 16', opts);
    expect(keptLatestSize(db).keys).toBe(16);
    expect(computed).toBe(17);
    await keptLatest(db, 'k0', 'value 0', opts); // still kept
    expect(computed).toBe(17);
    await keptLatest(db, 'k1', 'value 1', opts); // dropped: computed again
    expect(computed).toBe(18);
    db.close();
  });
});

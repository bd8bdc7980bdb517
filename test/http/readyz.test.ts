import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { testHallway } from '../helpers.ts';

/**
 * Issue 14: /readyz says ready only while the read models have caught up AND the event store
 * answers. A real store made unreachable: the embedded file's connection closed under the app, and
 * the EventStoreDB wire server stopped under a connected Hallway.
 */
describe('/readyz checks that the event store is reachable', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('embedded store: 200 with the store reachable, 503 "unreachable" once its connection is gone', async () => {
    const h = await testHallway();
    cleanups.push(() => h.dispose());
    const ok = await h.app.request('/readyz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ready: true, caughtUp: true, store: 'reachable' });
    // the app keeps its read models; only the log's connection goes away
    await h.store.close();
    const gone = await h.app.request('/readyz');
    expect(gone.status).toBe(503);
    expect(await gone.json()).toEqual({ ready: false, caughtUp: true, store: 'unreachable' });
    // /healthz is about the process, not its store: still alive
    expect((await h.app.request('/healthz')).status).toBe(200);
  });

  it('EventStoreDB: 503 "unreachable" within the probe time once the server stops', async () => {
    const server = await EsdbWireServer.start();
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await server.stop();
    });
    const h = await testHallway({ env: { EVENTSTORE_URL: server.url } });
    cleanups.push(() => h.dispose());
    const app = createApp(h);
    expect((await app.request('/readyz')).status).toBe(200);
    await server.stop();
    stopped = true;
    const started = Date.now();
    const gone = await app.request('/readyz');
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({ ready: false, store: 'unreachable' });
    // answered by the probe's own deadline, not the client's (a hung probe would fail the orchestrator's timeout instead)
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

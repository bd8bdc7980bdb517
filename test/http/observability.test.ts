import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { openHallway } from '../../src/services.ts';
import { startServer } from '../../src/server.ts';
import { givenEmployee, signedIn } from '../auth-helpers.ts';
import { get, givenStory, givenTheme, post, storyFields } from '../http/stories-given.ts';
import { freePort, tempDir } from '../helpers.ts';

/**
 * Issue 14, metrics and logs: /metrics in Prometheus' format, reachable from the allowed addresses
 * or with an admin's API token; one JSON log line per request with its id, and nothing anyone
 * typed, no password and no token in any line.
 */
describe('metrics and logs', () => {
  const tmp = tempDir('hallway-observe-');
  const lines: string[] = [];
  let h: Awaited<ReturnType<typeof openHallway>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: String(await freePort()), HALLWAY_METRICS_ALLOW: '127.0.0.1' });
    h = await openHallway(config, { log: () => {}, logger: createLogger('info', { write: (l) => void lines.push(l) }), metrics: true });
    app = createApp(h);
    await givenTheme(h, 'care', 'Care for people');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    tmp.remove();
  });

  const scrape = async (token?: string): Promise<Response> => app.request('/metrics', token ? { headers: { Authorization: `Bearer ${token}` } } : {});

  it('answers /metrics only with an admin\'s API token when the address is not allowed', async () => {
    const admin = await givenEmployee(h, { roles: ['admin', 'leader'] });
    const leader = await givenEmployee(h, { roles: ['leader'] });
    const adminToken = await issueApiToken(h, admin.employeeId, admin.employeeId, 'prometheus');
    const leaderToken = await issueApiToken(h, admin.employeeId, leader.employeeId, 'a leader tool');
    if (!('token' in adminToken) || !('token' in leaderToken)) throw new Error('tokens were refused');

    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await scrape(leaderToken.token)).status).toBe(403);
    expect((await scrape('hwt_made.up')).status).toBe(401);
    const ok = await scrape(adminToken.token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(await ok.text()).toContain('# TYPE hallway_http_requests_total counter');
  });

  it('counts requests by route pattern and status, appends by type, sign-in failures, and the read models\' lag', async () => {
    const admin = await givenEmployee(h, { roles: ['admin', 'leader'] });
    const token = await issueApiToken(h, admin.employeeId, admin.employeeId, 'prometheus');
    if (!('token' in token)) throw new Error('refused');
    const teller = await signedIn(h, { name: 'Teller Metric', password: 'the real password here' });
    const storyId = await givenStory(h, { tellerId: teller.employeeId, themes: ['care'] });
    for (let i = 0; i < 3; i += 1) expect((await get(app, `/stories/${storyId}`, teller.cookie)).status).toBe(200);
    expect((await get(app, '/stories/no-such-story', teller.cookie)).status).toBe(404);
    const told = await post(app, '/stories', teller.cookie, storyFields({ themes: ['care'] }));
    expect(told.status).toBe(303);
    await app.request('/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: teller.email, password: 'not the password' }).toString() });

    const text = await (await scrape(token.token)).text();
    const value = (series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(series + ' '));
      return line ? Number(line.slice(series.length + 1)) : NaN;
    };
    expect(value('hallway_http_requests_total{method="GET",route="/stories/:id",status="200"}')).toBe(3);
    expect(value('hallway_http_requests_total{method="GET",route="/stories/:id",status="404"}')).toBe(1);
    expect(value('hallway_http_request_duration_seconds_count{method="GET",route="/stories/:id",status="200"}')).toBe(3);
    // the given story went straight to the store; the one told through the form was appended by this process
    expect(value('hallway_events_appended_total{type="StorySubmitted"}')).toBeGreaterThanOrEqual(2);
    expect(value('hallway_sign_in_failures_total{reason="wrong-password"}')).toBe(1);
    expect(text).toMatch(/^hallway_read_model_lag_events\{projection="stories"\} \d+$/m);
    expect(value('hallway_read_models_failed')).toBe(0);
    // no path with an id or a token as a label: the patterns only
    expect(text).not.toContain(storyId);
    expect(text).not.toContain('no-such-story');
  });

  it('lets an allowed address scrape without a token, over a real socket, and refuses one that is not', async () => {
    const server = await startServer(h);
    try {
      const r = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('process_cpu_user_seconds_total');
    } finally {
      await server.stop();
    }
    const other = tempDir('hallway-observe-');
    const strict = await openHallway(loadConfig({ HALLWAY_DATA_DIR: other.dir, PORT: String(await freePort()), HALLWAY_METRICS_ALLOW: '10.0.0.0/8' }), { log: () => {}, metrics: true });
    const strictServer = await startServer(strict);
    try {
      expect((await fetch(`http://127.0.0.1:${strictServer.port}/metrics`)).status).toBe(401);
    } finally {
      await strictServer.stop();
      await strict.close();
      other.remove();
    }
  });

  it('refuses a malformed allow list at start with a clear message', () => {
    expect(() => loadConfig({ HALLWAY_METRICS_ALLOW: '10.0.0.0/8, everyone' })).toThrow(/HALLWAY_METRICS_ALLOW takes addresses and subnets.*"everyone"/);
    expect(() => loadConfig({ HALLWAY_METRICS_ALLOW: '10.0.0.0/33' })).toThrow(/HALLWAY_METRICS_ALLOW/);
    expect(() => loadConfig({ HALLWAY_LOG_LEVEL: 'loud' })).toThrow(/HALLWAY_LOG_LEVEL must be one of/);
  });

  it('logs one JSON line per request with its id, and no password, token, cookie or typed text', async () => {
    lines.length = 0;
    const password = 'correct horse battery log-check';
    const person = await givenEmployee(h, { name: 'Logan Checker', password });
    const admin = await givenEmployee(h, { roles: ['admin', 'leader'] });
    const apiToken = await issueApiToken(h, admin.employeeId, admin.employeeId, 'tool');
    if (!('token' in apiToken)) throw new Error('refused');
    const signIn = await app.request('/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' }, body: new URLSearchParams({ email: person.email, password }).toString() });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const sessionToken = cookie.split('=')[1]!;
    const title = 'Zanzibar quartermaster logbook';
    const body = 'Philomena reconciled the ledger overnight.';
    const told = await post(app, '/stories', cookie, storyFields({ title, body, themes: ['care'] }));
    expect(told.status).toBe(303);
    const search = await get(app, '/search?q=quartermaster', cookie);
    expect(search.status).toBe(200);
    await app.request('/invitation/abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop');
    await app.request('/setup/zyxwvutsrqponmlkjihgfedcba765432zyxwvutsrqponml');
    await app.request('/metrics', { headers: { Authorization: `Bearer ${apiToken.token}` } });
    const traced = await get(app, '/timelines', cookie, { 'X-Request-Id': 'trace-me-123' });
    expect(traced.headers.get('x-request-id')).toBe('trace-me-123');

    const all = lines.join('');
    const parsed = all.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { reqId?: string; route?: string; msg: string; status?: number });
    const requests = parsed.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(7);
    for (const r of requests) expect(r.reqId).toMatch(/^[\w-]+$/);
    expect(requests.find((r) => r.route === '/timelines' && r.reqId === 'trace-me-123')).toBeDefined();
    expect(requests.find((r) => r.route === '/invitation/:token')).toBeDefined();
    for (const secret of [password, sessionToken, apiToken.token, apiToken.token.split('.')[1]!, title, body, 'quartermaster', 'Philomena', 'abcdefghijklmnopqrstuvwxyz234567', 'zyxwvutsrqponmlkjihgfedcba765432', person.email]) {
      expect(all, `a log line holds ${secret}`).not.toContain(secret);
    }
  });
});

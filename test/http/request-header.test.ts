import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { requestHeader } from '../../src/http/request-header.ts';

/**
 * requestHeader (src/http/request-header.ts) reads a header from node's raw lines when served:
 * always what `c.req.header` (fetch's Headers) gives, whatever the request's lines look like.
 */
describe('requestHeader', () => {
  const NAMES = ['x-request-id', 'cookie', 'authorization', 'accept', 'absent'];
  const app = new Hono().get('/', (c) => c.json(NAMES.map((n) => ({ name: n, mine: requestHeader(c, n) ?? null, hono: c.req.header(n) ?? null }))));
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  /** one request with these header lines, written as they are */
  const send = (lines: string[]): Promise<{ name: string; mine: string | null; hono: string | null }[]> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { name: string; mine: string | null; hono: string | null }[]));
      socket.on('error', reject);
    });

  const requests: [string, string[]][] = [
    ['one of each', ['X-Request-Id: abc-123', 'Cookie: a=1; hallway_session=x.y', 'Authorization: Bearer t', 'Accept: text/html']],
    ['repeated lines', ['x-request-id: one', 'X-REQUEST-ID: two', 'Cookie: a=1', 'cookie: hallway_session=x.y', 'Authorization: Bearer a', 'Authorization: Bearer b']],
    ['spaces and tabs around values', ['X-Request-Id:   padded  ', 'Cookie:\thallway_session=x.y\t', 'Accept:  */*']],
    ['empty values', ['X-Request-Id:', 'Cookie: ', 'Accept: text/html']],
    ['none of them', []],
  ];
  for (const [what, lines] of requests) {
    it(`agrees with c.req.header: ${what}`, async () => {
      const answers = await send(lines);
      expect(answers).toHaveLength(NAMES.length);
      for (const a of answers) expect(a.mine, `${what}: ${a.name}`).toBe(a.hono);
    });
  }

  it('reads through c.req.header when not served by node (app.request)', async () => {
    const answers = (await (await app.request('/', { headers: { 'X-Request-Id': 'r1', Cookie: 'a=1' } })).json()) as { name: string; mine: string | null; hono: string | null }[];
    expect(answers.find((a) => a.name === 'x-request-id')).toEqual({ name: 'x-request-id', mine: 'r1', hono: 'r1' });
    for (const a of answers) expect(a.mine).toBe(a.hono);
  });
});

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { KeyStore } from './keys.ts';

/**
 * The key keeper (docs/trust.md): for EventStoreDB deployments with several Hallway processes, one
 * small process owns keys.db and answers the others over HTTP on the internal network. Every
 * request carries the stack's bearer token (HALLWAY_KEYS_TOKEN); use TLS in front of it when the
 * network is not private. The processes keep keys in memory and drop one the moment their
 * subscription sees PersonErased (src/privacy/sealed-store.ts).
 *
 *   POST   /v1/keys/OWNER        the owner's key, made on first use   200 {"key": base64}
 *   GET    /v1/keys/OWNER        the owner's key                      200 {"key"} | 404
 *   DELETE /v1/keys/OWNER        forget it                            204
 *   GET    /v1/forgotten/OWNER   whether it was forgotten             200 {"forgotten": bool}
 */

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function json(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export function keyKeeperHandler(keys: KeyStore, token: string): (req: IncomingMessage, res: ServerResponse) => void {
  if (token.length < 16) throw new Error('HALLWAY_KEYS_TOKEN must be at least 16 characters');
  const expected = digest(`Bearer ${token}`);
  return (req, res) => {
    void (async () => {
      // compared as digests: the time taken says nothing about how much of the token matched
      if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) return json(res, 401, { error: 'a valid bearer token is required' });
      const m = /^\/v1\/(keys|forgotten)\/([^/?]{1,600})$/.exec(req.url ?? '');
      if (!m) return json(res, 404, { error: 'not found' });
      let owner: string;
      try {
        owner = decodeURIComponent(m[2]!);
      } catch {
        return json(res, 400, { error: 'bad owner' });
      }
      if (owner.length === 0 || owner.length > 200) return json(res, 400, { error: 'bad owner' });
      if (m[1] === 'forgotten' && req.method === 'GET') return json(res, 200, { forgotten: await keys.forgotten(owner) });
      if (m[1] !== 'keys') return json(res, 405, { error: 'method not allowed' });
      if (req.method === 'POST') return json(res, 200, { key: (await keys.keyFor(owner)).toString('base64') });
      if (req.method === 'GET') {
        const key = await keys.open(owner);
        return key ? json(res, 200, { key: key.toString('base64') }) : json(res, 404, { error: 'no key' });
      }
      if (req.method === 'DELETE') {
        await keys.forget(owner);
        return json(res, 204);
      }
      return json(res, 405, { error: 'method not allowed' });
    })().catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: e instanceof Error ? e.message : String(e) });
    });
  };
}

/** Starts a key keeper; `port` 0 picks a free one. */
export async function serveKeyKeeper(keys: KeyStore, token: string, port: number, host = '0.0.0.0'): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(keyKeeperHandler(keys, token));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The KeyStore port over a key keeper (HALLWAY_KEYS_URL, HALLWAY_KEYS_TOKEN). */
export function remoteKeyStore(url: string, token: string): KeyStore {
  const base = url.replace(/\/$/, '');
  const call = async (method: string, path: string): Promise<Response> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    if (res.status === 401) throw new Error(`key keeper at ${base}: the token was refused (HALLWAY_KEYS_TOKEN)`);
    if (res.status >= 500 || res.status === 400 || res.status === 405) throw new Error(`key keeper at ${base}: ${method} ${path} answered ${res.status}`);
    return res;
  };
  const keyOf = async (res: Response): Promise<Buffer> => Buffer.from(((await res.json()) as { key: string }).key, 'base64');
  const path = (kind: string, owner: string): string => `/v1/${kind}/${encodeURIComponent(owner)}`;
  return {
    async keyFor(owner) {
      return keyOf(await call('POST', path('keys', owner)));
    },
    async open(owner) {
      const res = await call('GET', path('keys', owner));
      return res.status === 404 ? null : keyOf(res);
    },
    async forget(owner) {
      await call('DELETE', path('keys', owner));
    },
    async forgotten(owner) {
      return ((await (await call('GET', path('forgotten', owner))).json()) as { forgotten: boolean }).forgotten;
    },
    async close() {},
  };
}

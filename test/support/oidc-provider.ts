/**
 * A real OpenID provider (npm oidc-provider) for the single sign-on tests, on a random loopback
 * port over plain http. Its own login page asks only for a username (the account's id): the tests
 * are about what Hallway does with the provider's answer, not about the provider's passwords.
 * Consent is given up front for the test client (the documented loadExistingGrant pattern for a
 * first-party client), and PKCE is required of every client.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  email: string;
  email_verified: boolean;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface TestProvider {
  issuer: string;
  port: number;
  /** sets the clients and accounts and starts answering (the port is known before, for Hallway's config) */
  configure(clients: TestClient[], accounts: Record<string, TestAccount>): void;
  close(): Promise<void>;
}

const page = (uid: string, error = ''): string => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><main><h1>Test provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login"><label for="login">Username</label><input id="login" name="login" autocomplete="off"><button type="submit">Continue</button></form></main></body></html>`;

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return new URLSearchParams(text);
}

/**
 * Listens first (so the issuer, with its port, can go into Hallway's config), answers 503 until
 * `configure` builds the provider. `issuerHost` lets a second provider differ only in its issuer;
 * `emailInIdToken: false` keeps the email out of the ID token (OpenID Connect's default for the code
 * flow: the claims of a scope go to the userinfo endpoint), so Hallway must ask for it there.
 */
export async function startTestProvider({ issuerHost = '127.0.0.1', emailInIdToken = true }: { issuerHost?: string; emailInIdToken?: boolean } = {}): Promise<TestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503).end('not configured yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `http://${issuerHost}:${port}`;
  return {
    issuer,
    port,
    configure(clients, accounts) {
      const provider = new Provider(issuer, {
        clients: clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'] })),
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        // true: the email in the ID token too, as most companies' providers send it
        conformIdTokenClaims: !emailInIdToken,
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        cookies: { keys: ['hallway test provider cookie key'] },
        // its own signing key and lifetimes (the defaults work, with a warning each)
        jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
        ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 3600 },
        // the grant the first-party client would be given at consent
        async loadExistingGrant(ctx: KoaContextWithOIDC) {
          const accountId = ctx.oidc.session?.accountId;
          const clientId = ctx.oidc.client?.clientId;
          if (!accountId || !clientId) return undefined;
          const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
          grant.addOIDCScope('openid email');
          await grant.save();
          return grant;
        },
        async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
          const a = accounts[sub];
          return a ? { accountId: sub, claims: async () => ({ sub, email: a.email, email_verified: a.email_verified }) } : undefined;
        },
      });
      // the login page, before the provider's own routes
      provider.use(async (ctx, next) => {
        const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
        if (!m) return next();
        const uid = m[1]!;
        if (ctx.method === 'GET' && !m[2]) {
          await provider.interactionDetails(ctx.req, ctx.res);
          ctx.type = 'html';
          ctx.body = page(uid);
          return;
        }
        if (ctx.method === 'POST' && m[2]) {
          const login = (await formOf(ctx.req)).get('login') ?? '';
          if (!accounts[login]) {
            ctx.type = 'html';
            ctx.status = 401;
            ctx.body = page(uid, 'No such test account.');
            return;
          }
          ctx.respond = false;
          await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
          return;
        }
        return next();
      });
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

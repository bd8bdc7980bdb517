/**
 * Single sign-on with the company's OpenID provider (openid-client): the authorization code flow
 * with PKCE, `state` and `nonce`. openid-client checks the answer: the `iss` of the authorization
 * response, and the ID token's signature (the provider's published keys), issuer, audience (our
 * client id), expiry and nonce. Hallway then checks who it is: the provider must say the email is
 * verified, and it must be the email of an employee who has joined and not left. Nobody gets an
 * account by signing in.
 *
 * The flow's secrets (state, nonce, PKCE verifier) travel in a short-lived HttpOnly cookie signed
 * with the data directory's cookie secret, so any process serving the archive can finish a sign-in
 * another started. Nothing here logs a code or a token.
 */
import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../config.ts';
import type { AppContext } from '../http/env.ts';
import { orgQueries } from '../read/org.ts';
import type { Employee } from '../read/org.ts';
import { signFor } from './cookie-secret.ts';

export const SSO_START_PATH = '/sign-in/sso';
export const SSO_CALLBACK_PATH = '/sign-in/sso/callback';
export const SSO_FLOW_COOKIE = 'hallway_sso';
/** how long a person has at the provider before the sign-in must be started again */
export const SSO_FLOW_TTL_MS = 10 * 60_000;

/** Why a sign-in through the provider was refused: the metric's `reason` label and the page's words. */
export type SsoFailure =
  | 'sso-no-flow'
  | 'sso-bad-state'
  | 'sso-provider-error'
  | 'sso-code-refused'
  | 'sso-wrong-issuer'
  | 'sso-token-invalid'
  | 'sso-unverified-email'
  | 'sso-unknown-email'
  | 'sso-left'
  | 'sso-unavailable';

export interface SsoFlow {
  state: string;
  nonce: string;
  verifier: string;
  /** where to go once signed in (already made safe by safeNext) */
  next: string;
  /** epoch milliseconds, by ctx.clock */
  expiresAt: number;
}

export const redirectUri = (ctx: AppContext): string => `${ctx.config.publicUrl.replace(/\/$/, '')}${SSO_CALLBACK_PATH}`;

// ---------------------------------------------------------------- the provider's metadata

/** Discovered once per provider and kept; a failed discovery is forgotten, so the next sign-in tries again. */
const discovered = new WeakMap<OidcConfig, Promise<client.ServerMetadata>>();

function metadataOf(oidc: OidcConfig): Promise<client.ServerMetadata> {
  let m = discovered.get(oidc);
  if (!m) {
    m = client
      .discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, oidc.insecureHttpForTests ? { execute: [client.allowInsecureRequests] } : undefined)
      // a copy: the metadata, not the configuration discovery made (that one's clock is the real one)
      .then((c) => ({ ...c.serverMetadata() }));
    m.catch(() => discovered.delete(oidc));
    discovered.set(oidc, m);
  }
  return m;
}

/**
 * The client for one sign-in. Token times (expiry, issued-at) are judged by Hallway's clock, as
 * sessions and invitations are: the skew is Hallway's clock minus the real one (0 in production).
 */
async function configuration(ctx: AppContext, oidc: OidcConfig): Promise<client.Configuration> {
  const meta = await metadataOf(oidc);
  const skew = Math.round((ctx.clock().getTime() - Date.now()) / 1000);
  // client_secret_basic is every provider's default (RFC 8414); client_secret_post where it is the only one offered
  const methods = meta.token_endpoint_auth_methods_supported;
  const auth = !methods || methods.includes('client_secret_basic') ? client.ClientSecretBasic(oidc.clientSecret) : client.ClientSecretPost(oidc.clientSecret);
  const config = new client.Configuration(meta, oidc.clientId, { client_secret: oidc.clientSecret, [client.clockSkew]: skew }, auth);
  if (oidc.insecureHttpForTests) client.allowInsecureRequests(config);
  return config;
}

// ---------------------------------------------------------------- the flow cookie

const FLOW_PURPOSE = 'sso-flow';

export function sealFlow(ctx: AppContext, flow: SsoFlow): string {
  const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${body}.${signFor(ctx, FLOW_PURPOSE, body)}`;
}

/** The flow a cookie holds, if Hallway signed it and it has not expired; null otherwise. */
export function openFlow(ctx: AppContext, raw: string | undefined): SsoFlow | null {
  if (!raw || raw.length > 2048) return null;
  const [body, mac, extra] = raw.split('.');
  if (!body || !mac || extra !== undefined) return null;
  if (!sameText(mac, signFor(ctx, FLOW_PURPOSE, body))) return null;
  let flow: unknown;
  try {
    flow = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const f = flow as Partial<SsoFlow>;
  if (typeof f.state !== 'string' || typeof f.nonce !== 'string' || typeof f.verifier !== 'string' || typeof f.next !== 'string' || typeof f.expiresAt !== 'number') return null;
  return f.expiresAt > ctx.clock().getTime() ? (f as SsoFlow) : null;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

// ---------------------------------------------------------------- the two steps

/** Step one: where to send the browser, and the flow to keep in its cookie. */
export async function beginSso(ctx: AppContext, oidc: OidcConfig, next: string): Promise<{ url: string; flow: SsoFlow }> {
  const config = await configuration(ctx, oidc);
  const verifier = client.randomPKCECodeVerifier();
  const flow: SsoFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier, next, expiresAt: ctx.clock().getTime() + SSO_FLOW_TTL_MS };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(ctx),
    scope: 'openid email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, flow };
}

export type SsoResult = { ok: true; employee: Employee; next: string } | { ok: false; reason: SsoFailure; detail?: string };

/**
 * Step two, at the redirect URI: check the answer against the flow, exchange the code (PKCE), let
 * openid-client verify the ID token, and find the employee by the verified email.
 */
export async function finishSso(ctx: AppContext, oidc: OidcConfig, query: URLSearchParams, flow: SsoFlow | null): Promise<SsoResult> {
  if (!flow) return { ok: false, reason: 'sso-no-flow' };
  const state = query.get('state');
  if (state === null || !sameText(state, flow.state)) return { ok: false, reason: 'sso-bad-state' };
  const providerError = query.get('error');
  if (providerError !== null) return { ok: false, reason: 'sso-provider-error', detail: providerError.slice(0, 100) };

  let claims: Record<string, unknown>;
  try {
    const config = await configuration(ctx, oidc);
    // the URL the provider sent the browser to, as registered with it (not this request's Host)
    const current = new URL(redirectUri(ctx));
    current.search = query.toString();
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return { ok: false, reason: 'sso-token-invalid' };
    claims = { ...idClaims };
    // some providers put the email only in the userinfo answer, for the same subject
    if (typeof claims['email'] !== 'string') {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims, email: info.email, email_verified: info.email_verified };
    }
  } catch (e) {
    return { ok: false, reason: failureOf(e) };
  }

  const email = claims['email'];
  if (typeof email !== 'string' || claims['email_verified'] !== true) return { ok: false, reason: 'sso-unverified-email' };
  const employee = orgQueries(ctx.runtime.db).employeeByEmail(email);
  // the address is the person's own (they just proved it): shown to them, never logged
  if (!employee) return { ok: false, reason: 'sso-unknown-email', detail: email.slice(0, 320) };
  if (employee.leftAt) return { ok: false, reason: 'sso-left' };
  return { ok: true, employee, next: flow.next };
}

/** Which refusal an error from openid-client is (its messages may name a claim, never a token). */
function failureOf(e: unknown): SsoFailure {
  // the provider's token endpoint said no: a code used twice, expired, or issued for someone else
  if (e instanceof client.ResponseBodyError) return 'sso-code-refused';
  if (e instanceof client.AuthorizationResponseError) return 'sso-provider-error';
  if (e instanceof client.ClientError) {
    const inner = e.cause instanceof Error ? e.cause.message : e.message;
    if (/"iss"/.test(inner)) return 'sso-wrong-issuer';
    if (e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN' || e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e.code === 'OAUTH_RESPONSE_IS_NOT_JSON') return 'sso-unavailable';
    return 'sso-token-invalid';
  }
  // fetch failed: the provider cannot be reached
  return 'sso-unavailable';
}

import { Hono } from 'hono';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { beginSso, finishSso, openFlow, sealFlow, SSO_CALLBACK_PATH, SSO_FLOW_COOKIE, SSO_FLOW_TTL_MS, SSO_START_PATH } from '../auth/oidc.ts';
import type { SsoFailure } from '../auth/oidc.ts';
import { signedInAs } from '../auth/sessions.ts';
import { SsoRefusedPage, ssoRefusedTitle } from '../../views/pages/sso.tsx';
import { safeNext } from './auth.tsx';
import type { AppContext, AppEnv } from './env.ts';

/** Who the refusal is about decides the status: the person (403), the answer (400), the provider (502). */
const STATUS: Record<SsoFailure, 400 | 403 | 502> = {
  'sso-no-flow': 400,
  'sso-bad-state': 400,
  'sso-provider-error': 400,
  'sso-code-refused': 400,
  'sso-wrong-issuer': 400,
  'sso-token-invalid': 400,
  'sso-unverified-email': 403,
  'sso-unknown-email': 403,
  'sso-left': 403,
  'sso-unavailable': 502,
};

/** Sign-in through the company's OpenID provider (src/auth/oidc.ts): the start, and the redirect URI. */
export function ssoRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const oidc = ctx.config.oidc;
  const provider = oidc?.name ?? '';
  const cookie = { httpOnly: true, sameSite: 'Lax', path: SSO_START_PATH, secure: ctx.config.publicUrl.startsWith('https:') } as const;

  const notSetUp = (c: Context<AppEnv>) => {
    c.status(404);
    return c.render(<SsoRefusedPage reason="not-set-up" provider="" passwords />, { title: ssoRefusedTitle('not-set-up', '') });
  };

  const refuse = (c: Context<AppEnv>, reason: SsoFailure, detail?: string) => {
    ctx.metrics?.signInFailures.inc({ reason });
    // the reason only: never the code, the state or a token
    c.get('log').warn({ reason }, 'single sign-on refused');
    c.status(STATUS[reason]);
    return c.render(<SsoRefusedPage reason={reason} provider={provider} passwords={ctx.config.passwords} {...(detail ? { detail } : {})} />, { title: ssoRefusedTitle(reason, provider) });
  };

  app.get(SSO_START_PATH, async (c) => {
    if (!oidc) return notSetUp(c);
    const next = safeNext(c.req.query('next'));
    if (c.get('user')) return c.redirect(next, 303);
    let started: Awaited<ReturnType<typeof beginSso>>;
    try {
      started = await beginSso(ctx, oidc, next);
    } catch (err) {
      c.get('log').error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'single sign-on: the provider could not be discovered');
      return refuse(c, 'sso-unavailable');
    }
    setCookie(c, SSO_FLOW_COOKIE, sealFlow(ctx, started.flow), { ...cookie, maxAge: SSO_FLOW_TTL_MS / 1000 });
    return c.redirect(started.url, 303);
  });

  app.get(SSO_CALLBACK_PATH, async (c) => {
    if (!oidc) return notSetUp(c);
    const flow = openFlow(ctx, getCookie(c, SSO_FLOW_COOKIE));
    // a flow is used once, whatever the outcome
    deleteCookie(c, SSO_FLOW_COOKIE, cookie);
    const result = await finishSso(ctx, oidc, new URL(c.req.url).searchParams, flow);
    if (!result.ok) return refuse(c, result.reason, result.detail);
    await signedInAs(c, ctx, result.employee.employeeId);
    return c.redirect(result.next, 303);
  });

  return app;
}

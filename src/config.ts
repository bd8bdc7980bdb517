import { join, relative, resolve, isAbsolute } from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import { LOG_LEVELS } from './observability/logger.ts';
import type { LogLevel } from './observability/logger.ts';

export interface Config {
  port: number;
  dataDir: string;
  eventstoreUrl?: string;
  /** a key keeper (`hallway keys serve`) instead of keys.db in the data directory (docs/trust.md) */
  keysUrl?: string;
  keysToken?: string;
  /** departments with fewer employees are folded together in leadership figures */
  minGroup: number;
  /** while its page is served stale under a stream of changes, a dashboard window is recounted at most this often (seconds; HALLWAY_DASHBOARD_RECOUNT_SECONDS) */
  dashboardRecountSeconds: number;
  /** how long a page as of a past date waits for its date to be built before answering "being prepared" (seconds; HALLWAY_ASOF_WAIT_SECONDS) */
  asOfWaitSeconds: number;
  /** public origin, for links printed on the console and for the Origin check */
  publicUrl: string;
  /** the Ed25519 private key that signs seals (HALLWAY_SEAL_KEY_FILE); no sealing without it */
  sealKeyFile?: string;
  /** the public key(s) seals are checked with (HALLWAY_SEAL_PUBLIC_KEY: PEM text or a file) */
  sealPublicKey?: string;
  /** serve's JSON log level (pino) */
  logLevel: LogLevel;
  /** addresses and subnets that may read /metrics without an admin's API token */
  metricsAllow: string[];
  /** SMTP server for email (HALLWAY_SMTP_URL, smtp:// or smtps://); absent: no email is sent */
  smtpUrl?: string;
  /** the From of every email (HALLWAY_MAIL_FROM): an address, or `Name <address>` */
  mailFrom?: string;
  /** single sign-on with the company's OpenID provider (src/auth/oidc.ts); absent: none */
  oidc?: OidcConfig;
  /** HALLWAY_PASSWORDS: false (`off`) when people sign in only through the OpenID provider */
  passwords: boolean;
}

/** HALLWAY_OIDC_*: the provider Hallway is registered with (its redirect URI: PUBLIC_URL/sign-in/sso/callback). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the provider's name on the sign-in button ("Sign in with …") */
  name: string;
  /** tests only (loadConfig's second argument, never the environment): an http:// issuer */
  insecureHttpForTests?: true;
}

/** What only code can ask of loadConfig, never the environment. */
export interface LoadOptions {
  /**
   * Tests run the OpenID provider in-process on plain http: accept an http:// issuer (openid-client's
   * allowInsecureRequests). No variable turns this on, so no installation can by accident.
   */
  testOnlyHttpOidcIssuer?: boolean;
}

const OidcVars = z.object({
  HALLWAY_OIDC_ISSUER: z.url({ protocol: /^https?$/, error: "must be the provider's issuer URL, such as https://login.example.com" }),
  HALLWAY_OIDC_CLIENT_ID: z.string().trim().min(1, 'is required with HALLWAY_OIDC_ISSUER'),
  HALLWAY_OIDC_CLIENT_SECRET: z.string().min(1, 'is required with HALLWAY_OIDC_ISSUER'),
  HALLWAY_OIDC_NAME: z.string().trim().min(1, 'must not be blank').max(60, 'must be at most 60 characters').optional(),
});
const Passwords = z.enum(['on', 'off'], { error: 'must be on or off' }).default('on');

/** The button's words when HALLWAY_OIDC_NAME is not set: discovery metadata has no display name. */
export const DEFAULT_OIDC_NAME = 'your company account';

function loadOidc(env: NodeJS.ProcessEnv, opts: LoadOptions): OidcConfig | undefined {
  const names = ['HALLWAY_OIDC_ISSUER', 'HALLWAY_OIDC_CLIENT_ID', 'HALLWAY_OIDC_CLIENT_SECRET', 'HALLWAY_OIDC_NAME'] as const;
  if (!names.some((n) => env[n] !== undefined && env[n] !== '')) return undefined;
  const parsed = OidcVars.safeParse(Object.fromEntries(names.map((n) => [n, env[n] || undefined])));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const name = String(i.path[0]);
    throw new Error(`${name} ${env[name] === undefined || env[name] === '' ? 'is required with the other HALLWAY_OIDC_ variables' : i.message}`);
  }
  const v = parsed.data;
  const insecure = v.HALLWAY_OIDC_ISSUER.startsWith('http:');
  // the client secret and the tokens must not cross the network in the clear
  if (insecure && !opts.testOnlyHttpOidcIssuer) throw new Error(`HALLWAY_OIDC_ISSUER must be an https:// URL, got ${v.HALLWAY_OIDC_ISSUER}`);
  return {
    issuer: v.HALLWAY_OIDC_ISSUER,
    clientId: v.HALLWAY_OIDC_CLIENT_ID,
    clientSecret: v.HALLWAY_OIDC_CLIENT_SECRET,
    name: v.HALLWAY_OIDC_NAME ?? DEFAULT_OIDC_NAME,
    ...(insecure ? { insecureHttpForTests: true as const } : {}),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadOptions = {}): Config {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env['PORT']}`);
  const minGroup = Number(env['HALLWAY_MIN_GROUP'] ?? 5);
  if (!Number.isInteger(minGroup) || minGroup < 1) throw new Error(`HALLWAY_MIN_GROUP must be a positive whole number, got ${env['HALLWAY_MIN_GROUP']}`);
  const dashboardRecountSeconds = Number(env['HALLWAY_DASHBOARD_RECOUNT_SECONDS'] ?? 5);
  if (!Number.isInteger(dashboardRecountSeconds) || dashboardRecountSeconds < 0 || dashboardRecountSeconds > 3600) {
    throw new Error(`HALLWAY_DASHBOARD_RECOUNT_SECONDS must be a whole number of seconds from 0 to 3600, got ${env['HALLWAY_DASHBOARD_RECOUNT_SECONDS']}`);
  }
  const asOfWaitSeconds = Number(env['HALLWAY_ASOF_WAIT_SECONDS'] ?? 15);
  if (!Number.isInteger(asOfWaitSeconds) || asOfWaitSeconds < 0 || asOfWaitSeconds > 600) {
    throw new Error(`HALLWAY_ASOF_WAIT_SECONDS must be a whole number of seconds from 0 to 600, got ${env['HALLWAY_ASOF_WAIT_SECONDS']}`);
  }
  const dataDir = resolve(env['HALLWAY_DATA_DIR'] ?? 'data');
  const sealKeyFile = env['HALLWAY_SEAL_KEY_FILE'] ? resolve(env['HALLWAY_SEAL_KEY_FILE']) : undefined;
  // a copy of the data directory (a backup, a disk) must not carry the key that could re-seal it
  if (sealKeyFile && isInside(dataDir, sealKeyFile)) throw new Error(`HALLWAY_SEAL_KEY_FILE must be outside the data directory (${dataDir}), got ${sealKeyFile}`);
  if (env['HALLWAY_KEYS_URL'] && !env['HALLWAY_KEYS_TOKEN']) throw new Error('HALLWAY_KEYS_URL needs HALLWAY_KEYS_TOKEN, the bearer token the key keeper expects');
  const logLevel = (env['HALLWAY_LOG_LEVEL'] ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`HALLWAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${env['HALLWAY_LOG_LEVEL']}`);
  const metricsAllow = (env['HALLWAY_METRICS_ALLOW'] ?? '127.0.0.1,::1')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of metricsAllow) {
    const [addr, bits, extra] = a.split('/');
    const family = isIP(addr ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !okBits || extra !== undefined) throw new Error(`HALLWAY_METRICS_ALLOW takes addresses and subnets (10.0.0.0/8, ::1), separated by commas; ${JSON.stringify(a)} is neither`);
  }
  const mail = emailConfig(env);
  const oidc = loadOidc(env, opts);
  const passwords = Passwords.safeParse(env['HALLWAY_PASSWORDS'] || undefined);
  if (!passwords.success) throw new Error(`HALLWAY_PASSWORDS must be on or off, got ${env['HALLWAY_PASSWORDS']}`);
  if (passwords.data === 'off' && !oidc) throw new Error('HALLWAY_PASSWORDS=off needs single sign-on (HALLWAY_OIDC_ISSUER, HALLWAY_OIDC_CLIENT_ID, HALLWAY_OIDC_CLIENT_SECRET): otherwise nobody could sign in');
  return {
    port,
    dataDir,
    ...(env['EVENTSTORE_URL'] ? { eventstoreUrl: env['EVENTSTORE_URL'] } : {}),
    ...(env['HALLWAY_KEYS_URL'] ? { keysUrl: env['HALLWAY_KEYS_URL'] } : {}),
    ...(env['HALLWAY_KEYS_TOKEN'] ? { keysToken: env['HALLWAY_KEYS_TOKEN'] } : {}),
    minGroup,
    dashboardRecountSeconds,
    asOfWaitSeconds,
    publicUrl: env['HALLWAY_PUBLIC_URL'] ?? `http://localhost:${port}`,
    ...(sealKeyFile ? { sealKeyFile } : {}),
    ...(env['HALLWAY_SEAL_PUBLIC_KEY'] ? { sealPublicKey: env['HALLWAY_SEAL_PUBLIC_KEY'] } : {}),
    logLevel,
    metricsAllow,
    ...mail,
    ...(oidc ? { oidc } : {}),
    passwords: passwords.data === 'on',
  };
}

const SmtpUrl = z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL (smtp://user:password@host:587)' });
const MailFrom = z
  .string()
  .trim()
  .transform((s) => ({ whole: s, address: /<([^<>]+)>$/.exec(s)?.[1] ?? s }))
  .refine((f) => z.email().safeParse(f.address).success, 'must be an address, or Name <address>')
  .transform((f) => f.whole);

/** Email is optional: both variables or neither (a From is needed to send anything). */
function emailConfig(env: NodeJS.ProcessEnv): { smtpUrl?: string; mailFrom?: string } {
  const url = env['HALLWAY_SMTP_URL']?.trim();
  const from = env['HALLWAY_MAIL_FROM']?.trim();
  const f = from ? MailFrom.safeParse(from) : undefined;
  if (f && !f.success) throw new Error(`HALLWAY_MAIL_FROM must be an address, or Name <address>; got ${JSON.stringify(from)}`);
  if (!url) return f?.success ? { mailFrom: f.data } : {};
  // the URL can hold the SMTP password: the message names the variable, never its value
  if (!SmtpUrl.safeParse(url).success) throw new Error('HALLWAY_SMTP_URL must be an smtp:// or smtps:// URL (smtp://user:password@host:587)');
  if (!f?.success) throw new Error('HALLWAY_SMTP_URL needs HALLWAY_MAIL_FROM, the address emails come from (Hallway <hallway@example.com>)');
  return { smtpUrl: url, mailFrom: f.data };
}

const isInside = (dir: string, file: string): boolean => {
  const r = relative(dir, file);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export const eventsFile = (c: Config): string => join(c.dataDir, 'events.db');
export const viewsFile = (c: Config): string => join(c.dataDir, 'views.db');
/** the embedded key store (docs/trust.md): kept apart from the log, backed up apart from it */
/** the email outbox (src/mail/outbox.ts): messages waiting to be sent, and the failed ones */
export const mailFile = (c: Config): string => join(c.dataDir, 'mail.db');
export const keysFile = (c: Config): string => join(c.dataDir, 'keys.db');

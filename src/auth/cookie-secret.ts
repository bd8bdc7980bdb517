import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../http/env.ts';

/**
 * The secret Hallway signs its own cookies with (HMAC-SHA256): kept in the data directory, so it
 * survives restarts and every process serving the same archive shares it. The file keeps its first
 * name (device-cookie.key): archives made before other cookies used it already have one.
 */
const secrets = new Map<string, Buffer>();

export function cookieSecret(ctx: AppContext): Buffer {
  const dir = ctx.config.dataDir;
  let s = secrets.get(dir);
  if (s) return s;
  const file = join(dir, 'device-cookie.key');
  if (existsSync(file)) s = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  else {
    s = randomBytes(32);
    mkdirSync(dir, { recursive: true });
    // 'wx': of two processes creating it at once, the second fails and reads the first's
    try {
      writeFileSync(file, s.toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch {
      s = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    }
  }
  secrets.set(dir, s);
  return s;
}

/** HMAC-SHA256 of `text` for one purpose: a signature made for one cookie is no good for another. */
export const signFor = (ctx: AppContext, purpose: string, text: string): string =>
  createHmac('sha256', cookieSecret(ctx)).update(`${purpose}\n${text}`).digest('base64url');

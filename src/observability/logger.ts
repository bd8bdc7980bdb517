/**
 * Structured JSON logs (pino), one line per event, for the operator's log pipeline.
 *
 * What goes in: the request id, method, the *route pattern* (`/invite/:token`, never the path
 * itself, which can carry an invitation or setup token), status and duration; projection and
 * start-up messages. What never does: headers, cookies, bodies, query strings (a search is typed
 * text), passwords, tokens, story text. The redact list is a second line of defence for objects a
 * future log call might pass by mistake.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const REDACT = [
  'password',
  'token',
  'secret',
  'cookie',
  'authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.cookie',
  '*.authorization',
  'req.headers',
  'headers',
  'body',
  '*.body',
];

/**
 * A logger writing JSON lines to `destination`; by default standard output, written
 * asynchronously (pino's own buffered destination): a request's line never waits for a slow pipe
 * or log collector, and lines written while a write is in flight go out together. pino flushes
 * what is left when the process exits.
 */
export function createLogger(level: LogLevel, destination?: { write(line: string): void }): Logger {
  const options = { level, base: { service: 'hallway' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

/** For contexts that log nothing (tests, one-shot commands). */
export const silentLogger: Logger = pino({ level: 'silent' });

import type { Projection } from './runtime.ts';
import { orgProjection } from './org.ts';
import { authProjection } from './auth.ts';
import { auditProjection } from './audit.ts';
import { spreadProjection } from './spread.ts';
import { edgeLogProjection } from './edge-log.ts';
import { apiTokensProjection } from './api-tokens.ts';
import { searchProjection } from './search.ts';
import { storiesProjection } from './stories.ts';
import { readingProjection } from './reading.ts';
import { logOrderProjection } from '../asof/log-order.ts';
import { emailProjection } from './email.ts';

/**
 * Every read model Hallway keeps in views.db. Each keeps its own checkpoint; `hallway rebuild`
 * (or deleting views.db) rebuilds them all from position 0.
 */
export function allProjections(): Projection[] {
  return [
    orgProjection,
    authProjection,
    auditProjection,
    spreadProjection,
    // after spread: it copies the edges the spread model added in the same batch
    edgeLogProjection(),
    apiTokensProjection,
    searchProjection,
    storiesProjection,
    readingProjection,
    // the order of `at` along the log: lets the archive as it stood on a date skip what it can (src/asof/)
    logOrderProjection,
    // email choices: who turned which kind of email off, and the weekly digest
    emailProjection,
  ];
}

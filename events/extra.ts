import { z } from 'zod';
import { defineEvent, Id } from './common.ts';

/**
 * Event types that EVENTS.md does not list yet (adding types is allowed by its rules):
 * curators' picks for the new hires' "Start here" page, and API tokens for leaders' tools.
 */
export const StartHerePicksSet = defineEvent({
  type: 'StartHerePicksSet',
  version: 1,
  schema: z.object({ storyIds: z.array(Id).max(20, 'at most 20 picks') }),
  stream: () => 'curation-start-here',
});

export const ApiTokenIssued = defineEvent({
  type: 'ApiTokenIssued',
  version: 1,
  schema: z.object({
    tokenId: Id,
    employeeId: Id,
    secretHash: z.string().regex(/^[0-9a-f]{64}$/),
    label: z.string().trim().max(100),
  }),
  stream: (d) => `apitoken-${d.tokenId}`,
});
export const ApiTokenRevoked = defineEvent({
  type: 'ApiTokenRevoked',
  version: 1,
  schema: z.object({ tokenId: Id }),
  stream: (d) => `apitoken-${d.tokenId}`,
});

/**
 * Someone took data out of Hallway, for the admins' audit trail: a dashboard CSV table
 * (`dashboard-csv`), or the whole log with `hallway export` (`log-export`, actor `cli:<os user>`).
 * `detail` says what, in words (the table and the window, or how many events); the actor is in
 * metadata.
 */
export const DataExported = defineEvent({
  type: 'DataExported',
  version: 1,
  schema: z.object({ exportId: Id, what: z.enum(['dashboard-csv', 'log-export']), detail: z.string().max(200, 'must be at most 200 characters') }),
  stream: (d) => `export-${d.exportId}`,
});

export const extraEvents = [StartHerePicksSet, ApiTokenIssued, ApiTokenRevoked, DataExported] as const;

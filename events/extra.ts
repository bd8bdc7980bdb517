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
 * Someone downloaded figures out of Hallway (today the dashboard's CSV tables), for the admins'
 * audit trail. `detail` says what, in words (the table and the window); the actor is in metadata.
 */
export const DataExported = defineEvent({
  type: 'DataExported',
  version: 1,
  schema: z.object({ exportId: Id, what: z.enum(['dashboard-csv']), detail: z.string().max(200, 'must be at most 200 characters') }),
  stream: (d) => `export-${d.exportId}`,
});

export const extraEvents = [StartHerePicksSet, ApiTokenIssued, ApiTokenRevoked, DataExported] as const;

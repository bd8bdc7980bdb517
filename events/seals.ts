import { z } from 'zod';
import { defineEvent } from './common.ts';

/**
 * Tamper evidence (issue 13, docs/trust.md "Seals"): a signed statement that the hash chain over
 * the log's first `upToPosition` events ends in `chainHash`. Positions are ordinals (the 1st,
 * 2nd, … event of the log), the same in both stores. One stream per sealed position, appended
 * with `no_stream` and an id derived from the position, so processes racing to seal the same
 * position make one seal. Seals are events of the log like any other and the chain covers them
 * too: removing or changing a seal breaks the links after it.
 */
export const LogSealed = defineEvent({
  type: 'LogSealed',
  version: 1,
  schema: z.object({
    upToPosition: z.number().int().positive(),
    /** linkₙ at upToPosition, hex */
    chainHash: z.string().regex(/^[0-9a-f]{64}$/),
    /** SHA-256 of the public key (SPKI DER), hex: which key signed */
    keyId: z.string().regex(/^[0-9a-f]{64}$/),
    /** Ed25519 over "hallway-seal-v1" ‖ upToPosition ‖ chainHash, base64url */
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  }),
  stream: (d) => sealStream(d.upToPosition),
});

export const sealStream = (upToPosition: number): string => `seal-${upToPosition}`;
export const isSealStream = (stream: string): boolean => /^seal-\d+$/.test(stream);

export const sealEvents = [LogSealed] as const;

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packChunk } from '../../src/projections/edge-log.ts';
import { unpackChunk } from '../../src/read/edge-log.ts';
import { encodeEdge } from '../../src/spread/edge-code.ts';

/** A packed chunk of the edge log read back as typed columns, from a blob wherever its bytes lie. */
describe('edge log chunks', () => {
  it('read back the same columns from a blob at an aligned or an unaligned offset', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 42 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 7 }),
        (edges, shift) => {
          const packed = packChunk(edges.map(([at, story, from, to]) => [at, encodeEdge(story, from, to)]));
          // the blob at `shift` bytes into a buffer of its own: 0 reads in place, others copy
          const blob = Buffer.concat([Buffer.alloc(shift), packed]).subarray(shift);
          const c = unpackChunk(edges.length, blob);
          expect(c.n).toBe(edges.length);
          expect([...c.at]).toEqual(edges.map((e) => e[0]));
          expect([...c.story]).toEqual(edges.map((e) => e[1]));
          expect([...c.from]).toEqual(edges.map((e) => e[2]));
          expect([...c.to]).toEqual(edges.map((e) => e[3]));
        },
      ),
    );
  });
});

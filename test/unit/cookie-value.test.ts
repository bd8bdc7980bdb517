import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'hono/utils/cookie';
import { cookieValue } from '../../src/auth/cookie-value.ts';

/** The session cookie's value read without hono's parser (src/auth/cookie-value.ts) is always what hono's getCookie finds. */
describe('cookieValue', () => {
  const NAME = 'hallway_session';
  const hono = (header: string, name: string): string | undefined => (header ? parse(header, name)[name] : undefined);

  it('finds what hono finds, in headers made of awkward pieces', () => {
    const piece = fc.constantFrom(NAME, 'hallway_device', 'other', ' ', '\t', '=', ';', '"', '%', '%41', '%E0%A4%A', 'a.b', ',', '\\', 'é', '', 'x=y', `${NAME}=`, `${NAME} = "v"`);
    const header = fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(header, (h) => {
        expect(cookieValue(h, NAME)).toBe(hono(h, NAME));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the usual headers as hono does: the first valid pair wins, quotes and percent-escapes undone', () => {
    const cases = [
      `${NAME}=abc.def`,
      `a=1; ${NAME}=abc.def; b=2`,
      `${NAME}=bad value\u0001; ${NAME}=second`,
      `  ${NAME}\t=\t"quoted"  `,
      `${NAME}=%41%42`,
      `${NAME}=%E0%A4%A`,
      `x${NAME}=no; ${NAME}x=no`,
      `${NAME}`,
      '',
    ];
    for (const h of cases) expect(cookieValue(h, NAME), h).toBe(hono(h, NAME));
    expect(cookieValue(`a=1; ${NAME}=abc.def; b=2`, NAME)).toBe('abc.def');
    expect(cookieValue(null, NAME)).toBeUndefined();
  });
});

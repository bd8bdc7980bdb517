import type { SeedOrg } from './seed-types.ts';

/** The demo organisation (filled in by the sign-in and people work). */
export function seedOrg(): SeedOrg {
  return { lines: [], departments: [], employees: [] };
}

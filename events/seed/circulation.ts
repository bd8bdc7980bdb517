import type { SeedLine, SeedOrg, SeedStories } from './seed-types.ts';

/** The demo circulation (filled in by the circulation work). */
export function seedCirculation(_org: SeedOrg, _stories: SeedStories): { lines: SeedLine[] } {
  return { lines: [] };
}

import type { SeedOrg, SeedStories } from './seed-types.ts';

/** The demo themes and stories (filled in by the stories work). */
export function seedStories(_org: SeedOrg): SeedStories {
  return { lines: [], themes: [], stories: [] };
}

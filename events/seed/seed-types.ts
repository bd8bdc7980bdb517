/** One line of the demo archive, in the JSONL shape of EVENTS.md (ids are fixed, so re-import is a no-op). */
export interface SeedLine {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { at: string; actor?: string };
}

export interface SeedEmployee {
  employeeId: string;
  name: string;
  email: string;
  /** department over time: [from ISO instant, departmentId][], first entry at joining */
  departments: { from: string; departmentId: string }[];
  joinedOn: string;
  leftAt?: string;
  roles: ('curator' | 'leader' | 'admin')[];
}

export interface SeedOrg {
  lines: SeedLine[];
  departments: { departmentId: string; name: string; openedAt: string }[];
  employees: SeedEmployee[];
}

export interface SeedStory {
  storyId: string;
  title: string;
  tellerId: string;
  at: string;
  themes: string[];
  happenedIn?: string;
  retellingOf?: string;
  /** a hint for the circulation generator: how this story travels */
  spread?: 'word-of-mouth' | 'broadcast' | 'local' | 'quiet';
}

export interface SeedStories {
  lines: SeedLine[];
  themes: { themeId: string; name: string }[];
  stories: SeedStory[];
}

/** A small deterministic PRNG (mulberry32), so the demo file is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

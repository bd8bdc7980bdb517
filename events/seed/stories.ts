import type { SeedEmployee, SeedLine, SeedOrg, SeedStories, SeedStory } from './seed-types.ts';
import { prng } from './seed-types.ts';
import { DEMO_LEADERS, seedId } from './org.ts';
import { DEMO_STORIES, DEMO_THEMES } from './story-content.ts';
import type { DemoStory } from './story-content.ts';

/**
 * The demo themes and stories, from the content in story-content.ts. Deterministic: ids, times
 * and tellers are derived from the content and a fixed seed.
 *
 * - Themes are defined by the demo's curators a week before the archive's first story.
 * - Story `story-{key}` is recorded on its `toldAt` day (10:00 UTC, a few minutes apart when two
 *   share a day), by a teller from `tellerDept` (as of that moment) who had joined and not left.
 *   A teller who "witnessed" or "took part" must also have joined by the time it happened, when
 *   anyone in the department had. Among those, the least-used teller is picked (ties by the seeded
 *   random), so the stories spread over many people.
 */

const SEED = 0x5709e5;

const storyIdOf = (key: string): string => `story-${key}`;
/** the last day an `occurredOn` of any precision can mean */
const occurredBy = (occurredOn: string): string => (occurredOn.length === 4 ? `${occurredOn}-12-31` : occurredOn.length === 7 ? `${occurredOn}-31` : occurredOn);

function departmentAt(e: SeedEmployee, at: string): string | undefined {
  let dept: string | undefined;
  for (const d of e.departments) if (d.from <= at) dept = d.departmentId;
  return dept;
}

const present = (e: SeedEmployee, at: string): boolean => `${e.joinedOn}T08:30:00.000Z` <= at && !(e.leftAt && e.leftAt <= at);

function line(key: string, type: string, data: Record<string, unknown>, at: string, actor: string): SeedLine {
  return { id: seedId(key), type, data, metadata: { at, actor } };
}

export function seedStories(org: SeedOrg): SeedStories {
  const random = prng(SEED);
  const lines: SeedLine[] = [];
  const byKey = new Map<string, DemoStory>(DEMO_STORIES.map((s) => [s.key, s]));
  const content = [...DEMO_STORIES].sort((a, b) => a.toldAt.localeCompare(b.toldAt) || a.key.localeCompare(b.key));
  if (content.length === 0) return { lines, themes: [], stories: [] };

  // Themes: a week before the first story, by a curator who had the role by then.
  const themesAt = new Date(Date.parse(`${content[0]!.toldAt}T09:00:00.000Z`) - 7 * 24 * 3600_000);
  const curators = org.employees.filter((e) => e.roles.includes('curator') && present(e, themesAt.toISOString()));
  if (curators.length === 0) throw new Error('demo stories: no curator in the demo org to define the themes');
  DEMO_THEMES.forEach((t, i) => {
    const at = new Date(themesAt.getTime() + i * 60_000).toISOString();
    const curator = curators[i % curators.length]!;
    lines.push(line(`theme:${t.themeId}`, 'ThemeDefined', { themeId: t.themeId, name: t.name, description: t.description }, at, curator.employeeId));
  });

  const told = new Map<string, number>();
  const usedTimes = new Set<string>();
  const stories: SeedStory[] = [];
  const written = new Set<string>();
  for (const s of content) {
    let minute = 0;
    let at = '';
    do {
      at = new Date(Date.parse(`${s.toldAt}T10:00:00.000Z`) + minute * 7 * 60_000).toISOString();
      minute += 1;
    } while (usedTimes.has(at));
    usedTimes.add(at);

    // an anonymous story is not told by one of the named leaders: their name is on other stories' pages
    const named = new Set(Object.values(DEMO_LEADERS));
    const inDept = org.employees.filter((e) => present(e, at) && departmentAt(e, at) === s.tellerDept && !(s.anonymous && named.has(e.name)));
    if (inDept.length === 0) throw new Error(`demo stories: nobody in ${s.tellerDept} on ${s.toldAt} to tell "${s.key}"`);
    const firstHand = s.relation === 'heard' ? [] : inDept.filter((e) => e.joinedOn <= occurredBy(s.occurredOn));
    const pool = firstHand.length > 0 ? firstHand : inDept;
    const fewest = Math.min(...pool.map((e) => told.get(e.employeeId) ?? 0));
    const candidates = pool.filter((e) => (told.get(e.employeeId) ?? 0) === fewest).sort((a, b) => a.employeeId.localeCompare(b.employeeId));
    const teller = candidates[Math.floor(random() * candidates.length)]!;
    told.set(teller.employeeId, fewest + 1);

    let retellingOf: string | undefined;
    if (s.retellingOfKey !== undefined) {
      if (!byKey.has(s.retellingOfKey)) throw new Error(`demo stories: "${s.key}" retells unknown "${s.retellingOfKey}"`);
      if (!written.has(s.retellingOfKey)) throw new Error(`demo stories: "${s.key}" is told before the story it retells`);
      retellingOf = storyIdOf(s.retellingOfKey);
    }
    const storyId = storyIdOf(s.key);
    // "Marta Ilves, founder and CEO" is Marta Ilves, who works here (events/seed/org.ts DEMO_LEADERS)
    const leaderName = s.leader.split(',')[0]!.trim();
    const leader = org.employees.find((e) => e.name === leaderName && e.joinedOn <= at.slice(0, 10));
    const data: Record<string, unknown> = {
      storyId,
      title: s.title,
      body: s.body,
      tellerId: teller.employeeId,
      leader: s.leader,
      ...(leader ? { leaderId: leader.employeeId } : {}),
      ...(s.happenedIn ? { happenedIn: s.happenedIn } : {}),
      occurredOn: s.occurredOn,
      themes: s.themes,
      relation: s.relation,
      ...(retellingOf ? { retellingOf } : {}),
      anonymous: s.anonymous,
    };
    lines.push(line(`story:${s.key}`, 'StorySubmitted', data, at, teller.employeeId));
    written.add(s.key);
    stories.push({
      storyId,
      title: s.title,
      tellerId: teller.employeeId,
      at,
      themes: s.themes,
      ...(s.happenedIn ? { happenedIn: s.happenedIn } : {}),
      ...(retellingOf ? { retellingOf } : {}),
      spread: s.spread,
    });
  }

  return { lines, themes: DEMO_THEMES.map((t) => ({ themeId: t.themeId, name: t.name })), stories };
}

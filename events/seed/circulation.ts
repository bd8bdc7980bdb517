import type { SeedEmployee, SeedLine, SeedOrg, SeedStories, SeedStory } from './seed-types.ts';
import { prng } from './seed-types.ts';
import { DEMO_TODAY, seedId } from './org.ts';

/**
 * The demo's circulation: how each story travelled, so that the leadership dashboard of
 * `hallway demo` tells a story of its own. Deterministic (fixed seed, times derived from the
 * stories). Each story travels as its `spread` hint says:
 *
 * - broadcast: read on the archive by most of the company within weeks (a star);
 * - word-of-mouth: told on from person to person, often across departments, over months (deep
 *   trees); the open-house story travels furthest and has a second wave in the demo's last weeks;
 * - local: passed around its own department only;
 * - quiet: a reader or two in its own department, if anyone.
 *
 * Lately (the demo's last 60 days) Finance, Product and People & Culture heard nothing from other
 * departments: the dashboard's quiet corners.
 *
 * On top, the new hires of the demo's last two months hear a few stories at onboarding from a
 * colleague, so the recent window is not empty. Every exposure is valid when recorded: the story
 * exists, the people have joined and not left, nobody hears a story from themselves, and nobody
 * reads the same story twice on one day.
 */

const SEED = 0xc1c0;
const DAY = 86_400_000;
const END = Date.parse(`${DEMO_TODAY}T17:00:00.000Z`);
/** departments that, in the demo's last two months, heard nothing from anyone outside them */
const QUIET_LATELY = new Set(['dept-finance', 'dept-product', 'dept-people']);
const LATELY = END - 60 * DAY;

const present = (e: SeedEmployee, ms: number): boolean =>
  Date.parse(`${e.joinedOn}T08:30:00.000Z`) <= ms && !(e.leftAt && Date.parse(e.leftAt) <= ms);

function departmentAt(e: SeedEmployee, ms: number): string | undefined {
  let dept: string | undefined;
  for (const d of e.departments) if (Date.parse(d.from) <= ms) dept = d.departmentId;
  return dept;
}

export function seedCirculation(org: SeedOrg, stories: SeedStories): { lines: SeedLine[] } {
  const random = prng(SEED);
  const lines: SeedLine[] = [];
  const pick = <T,>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(random() * xs.length)] : undefined);
  const byId = new Map(org.employees.map((e) => [e.employeeId, e]));
  const SETTINGS = ['conversation', 'conversation', 'conversation', 'meeting', 'meeting', 'customer', 'other'] as const;

  for (const story of stories.stories) {
    const t0 = Date.parse(story.at);
    const teller = byId.get(story.tellerId);
    if (!teller) continue;
    const home = departmentAt(teller, t0);
    const informed = new Set<string>([story.tellerId]);
    const readDays = new Set<string>();
    let n = 0;
    const emit = (type: string, data: Record<string, unknown>, ms: number, actor: string): void => {
      n += 1;
      lines.push({ id: seedId(`circulation:${story.storyId}:${n}`), type, data: { storyId: story.storyId, ...data }, metadata: { at: new Date(ms).toISOString(), actor } });
    };
    const read = (who: SeedEmployee, ms: number): void => {
      const key = `${who.employeeId}|${new Date(ms).toISOString().slice(0, 10)}`;
      if (who.employeeId === story.tellerId || readDays.has(key) || ms >= END || !present(who, ms)) return;
      readDays.add(key);
      informed.add(who.employeeId);
      emit('StoryRead', { readerId: who.employeeId }, ms, who.employeeId);
    };
    const tell = (from: SeedEmployee, to: SeedEmployee, ms: number, setting?: string): boolean => {
      if (from.employeeId === to.employeeId || ms >= END || !present(from, ms) || !present(to, ms)) return false;
      const toDept = departmentAt(to, ms);
      if (ms > LATELY && QUIET_LATELY.has(toDept ?? '') && departmentAt(from, ms) !== toDept) return false;
      informed.add(to.employeeId);
      if (random() < 0.3) emit('StoryShared', { fromId: from.employeeId, toId: to.employeeId }, ms, from.employeeId);
      else emit('StoryHeard', { listenerId: to.employeeId, fromId: from.employeeId, setting: setting ?? pick(SETTINGS)! }, ms, to.employeeId);
      return true;
    };
    const at = (base: number, meanDays: number): number => Math.round((base + (0.05 + -Math.log(1 - random()) * meanDays) * DAY) / 1000) * 1000;
    const people = (ms: number, filter: (e: SeedEmployee) => boolean = () => true): SeedEmployee[] =>
      org.employees.filter((e) => present(e, ms) && !informed.has(e.employeeId) && filter(e));

    travel(story);

    function travel(s: SeedStory): void {
      switch (s.spread) {
        case 'broadcast': {
          // most of the company reads it on the archive within a few weeks; a few come back to it
          for (const e of org.employees) if (random() < 0.8) read(e, at(t0, 6));
          for (const id of [...informed]) if (random() < 0.1) read(byId.get(id)!, at(t0, 60));
          return;
        }
        case 'word-of-mouth': {
          const open = s.storyId === 'story-open-house';
          wave(teller!, t0, open ? 46 : 14 + Math.floor(random() * 14), open ? 0.55 : 0.4, open ? 9 : 12);
          if (open) {
            // a second wave in the demo's last weeks: it came up again, and crossed into the rest
            const start = END - 40 * DAY;
            const carriers = [...informed].map((id) => byId.get(id)!).filter((e) => present(e, start));
            for (const c of carriers.slice(0, 6)) wave(c, start + Math.floor(random() * 10) * DAY, 5, 0.75, 4, true);
          }
          // some who heard it look it up on the archive later: touches
          for (const id of [...informed]) if (random() < 0.25) read(byId.get(id)!, at(t0, 40));
          return;
        }
        case 'local': {
          const size = 3 + Math.floor(random() * 7);
          const queue = [teller!];
          let last = t0;
          while (informed.size < size && queue.length) {
            const from = queue.shift()!;
            const colleagues = people(last, (e) => departmentAt(e, last) === home);
            for (let k = 0; k < 2 && colleagues.length; k++) {
              const to = colleagues.splice(Math.floor(random() * colleagues.length), 1)[0]!;
              const ms = at(last, 5);
              if (departmentAt(to, ms) !== home) continue;
              if (random() < 0.4) read(to, ms);
              else if (tell(from, to, ms)) queue.push(to);
            }
            last += DAY;
          }
          return;
        }
        case 'quiet':
        default: {
          const k = Math.floor(random() * 3);
          for (let i = 0; i < k; i++) {
            const ms = at(t0, 20);
            const who = pick(people(ms, (e) => departmentAt(e, ms) === home));
            if (who) read(who, ms);
          }
        }
      }
    }

    /** Word of mouth from `seed`: each person tells one to three others, crossing departments with probability `cross`. */
    function wave(seed: SeedEmployee, start: number, size: number, cross: number, meanDays: number, recent = false): void {
      const frontier: { who: SeedEmployee; at: number }[] = [{ who: seed, at: start }];
      let added = 0;
      while (frontier.length && added < size) {
        const { who, at: when } = frontier.shift()!;
        const fanout = 1 + Math.floor(random() * 3);
        for (let k = 0; k < fanout && added < size; k++) {
          const ms = at(when, meanDays);
          if (ms >= END) continue;
          const mine = departmentAt(who, ms);
          const across = random() < cross;
          const pool = people(ms, (e) => (across ? departmentAt(e, ms) !== mine : departmentAt(e, ms) === mine));
          const to = pick(pool);
          if (!to) continue;
          if (tell(who, to, ms, recent && random() < 0.5 ? 'meeting' : undefined)) {
            added += 1;
            frontier.push({ who: to, at: ms });
          }
        }
      }
    }
  }

  // onboarding: each recent hire hears two to four of the well-travelled stories from a colleague
  const travelled = stories.stories.filter((s) => s.spread === 'word-of-mouth' || s.spread === 'broadcast');
  const recentHires = org.employees.filter((e) => Date.parse(`${e.joinedOn}T08:30:00.000Z`) > END - 60 * DAY);
  for (const hire of recentHires) {
    const joined = Date.parse(`${hire.joinedOn}T08:30:00.000Z`);
    const k = 2 + Math.floor(random() * 3);
    for (let i = 0; i < k; i++) {
      const s = pick(travelled);
      if (!s) break;
      const ms = joined + (1 + Math.floor(random() * 10)) * DAY + Math.floor(random() * 6 * 3600_000);
      if (ms >= END) continue;
      const dept = departmentAt(hire, ms);
      const from = pick(org.employees.filter((e) => e.employeeId !== hire.employeeId && present(e, ms) && departmentAt(e, ms) === dept && Date.parse(`${e.joinedOn}T08:30:00.000Z`) < Date.parse(s.at)));
      if (!from || lines.some((l) => l.data['storyId'] === s.storyId && l.data['listenerId'] === hire.employeeId)) continue;
      lines.push({
        id: seedId(`circulation:onboarding:${hire.employeeId}:${s.storyId}`),
        type: 'StoryHeard',
        data: { storyId: s.storyId, listenerId: hire.employeeId, fromId: from.employeeId, setting: 'onboarding' },
        metadata: { at: new Date(ms).toISOString(), actor: hire.employeeId },
      });
    }
  }
  return { lines };
}

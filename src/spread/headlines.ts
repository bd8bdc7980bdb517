import type { Dashboard, Window } from '../projections/spread-dashboard.ts';

/**
 * The dashboard's opening: a few sentences a leader would say out loud, made from the same
 * figures the tables below show (SPREAD.md, "Organisation figures"), nothing newly defined:
 * which stories travelled (people newly reached), into which departments for the first time
 * (the story's departmentArrivals inside the window), the busiest crossing (the flow matrix off
 * its diagonal) and the quiet corners. Departments are named as the dashboard names them, so
 * small ones stay folded into "Smaller departments".
 */

export interface Headline {
  /** a sentence, plain text (the view escapes it) */
  text: string;
  /** where the sentence's figures are, on the page */
  href?: string;
}

/** For the top stories: the (shown) departments the story reached for the first time in the window. */
export function firstArrivals(arrivalsOf: (storyId: string) => { departmentId: string; atMs: number }[], d: Dashboard, w: Window, groupOf: (departmentId: string) => string, top = 3): Map<string, string[]> {
  const name = new Map(d.groups.map((g) => [g.id, g.name]));
  const out = new Map<string, string[]>();
  for (const s of d.stories.slice(0, top)) {
    // (the arrivals alone: the story's other figures are not needed here)
    const arrivals = arrivalsOf(s.storyId);
    if (arrivals.length === 0) continue;
    const from = w.fromMs ?? Number.MIN_SAFE_INTEGER;
    const names: string[] = [];
    // the first arrival is the teller's own department, where the story was told: not "reached"
    for (const a of arrivals.slice(1)) {
      const at = a.atMs;
      if (at < from || at >= w.toMs) continue;
      const n = name.get(groupOf(a.departmentId));
      if (n && !names.includes(n)) names.push(n);
    }
    out.set(s.storyId, names);
  }
  return out;
}

/** "A", "A and B", "A, B and C"; past four names, "A, B, C, D and 5 more departments" */
const list = (names: string[]): string =>
  names.length <= 1
    ? (names[0] ?? '')
    : names.length > 4
      ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more ${names.length - 4 === 1 ? 'department' : 'departments'}`
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
const people = (n: number): string => (n === 1 ? '1 person' : `${n.toLocaleString('en-GB')} people`);
const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n.toLocaleString('en-GB')} times`);

/** How a sentence names the window: "in the last 30 days", "so far", "in the window from … to …". */
export function windowPhrase(w: { preset?: string; label: string }): string {
  if (w.preset === 'all') return 'so far';
  return w.label.startsWith('the last') ? `in ${w.label}` : `in the window ${w.label}`;
}

/** The sentences, in the order a leader would say them; none when nothing happened in the window. */
export function headlines(d: Dashboard, arrivals: Map<string, string[]>, when: string): Headline[] {
  const out: Headline[] = [];
  if (d.stories.length === 0) return out;
  const name = new Map(d.groups.map((g) => [g.id, g.name]));
  const [first, second] = d.stories;
  if (first) {
    const into = arrivals.get(first.storyId) ?? [];
    out.push({
      text:
        `“${first.title}” travelled furthest ${when}: ${people(first.added)} heard it for the first time` +
        (into.length ? `, and it reached ${list(into)} for the first time.` : '.'),
      href: '#circulating',
    });
  }
  if (second) {
    const into = arrivals.get(second.storyId) ?? [];
    out.push({
      text: `Next came “${second.title}”, with ${people(second.added)}` + (into.length ? `; it was new to ${list(into)}.` : '.'),
      href: '#circulating',
    });
  }
  const crossings = d.flows.filter((f) => f.from !== f.to).sort((a, b) => b.count - a.count);
  const top = crossings[0];
  if (top) {
    out.push({ text: `Stories crossed most often from ${name.get(top.from) ?? top.from} to ${name.get(top.to) ?? top.to}: ${times(top.count)}.`, href: '#flows' });
  } else {
    out.push({ text: 'No story crossed from one department to another: every one stayed where it was told.', href: '#flows' });
  }
  const quiet = d.departments.filter((x) => x.quiet).map((x) => x.name);
  if (quiet.length === 0) out.push({ text: 'Every department heard at least one story from another department.', href: '#departments' });
  else if (quiet.length > 6) out.push({ text: `${quiet.length} departments heard nothing from outside, among them ${list(quiet.slice(0, 3))}.`, href: '#departments' });
  else out.push({ text: `${list(quiet)} heard nothing from outside ${quiet.length === 1 ? 'its' : 'their'} own ${quiet.length === 1 ? 'department' : 'departments'}.`, href: '#departments' });
  return out;
}

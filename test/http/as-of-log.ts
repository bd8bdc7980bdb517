import { prng } from '../../events/seed/seed-types.ts';

/**
 * A random Hallway log across a few days of March 2021, for the as-of tests: departments, people
 * (one of them the viewer, a leader and curator), themes, stories told, retold, amended, themed,
 * unthemed and retracted, reads, hearings and shares, transfers. `at` mostly grows with log order,
 * but not always: now and then an older story is "imported" (its whole stream dated days earlier,
 * appended later), and a hearing is recorded with an earlier date than the events before it.
 * Every stream's own events keep growing `at`, so a stream cut at a date is a prefix of itself.
 */
export interface LogEvent {
  stream: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { at: string; actor: string; v?: number };
}

export const VIEWER = 'emp-viewer';
export const DAY = 86_400_000;
export const START = Date.UTC(2021, 2, 1, 8);

/**
 * `ordered`: no event dated before one already in the log (no import of older stories, no late hearing).
 * `org`: the org and the review setting change too: departments renamed, closed and opened again,
 * people leaving and joining again, review before publishing turned on and off, stories approved.
 */
/**
 * `links`: leaders linked to people (and moved to others), stories returned to their tellers and
 * amended back into the queue, themes described and retired, and a person who left erased (their
 * key is forgotten as the sealed store appends it).
 */
export function randomLog(seed: number, steps = 70, opts: { ordered?: boolean; org?: boolean; links?: boolean } = {}): LogEvent[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: LogEvent[] = [];
  let n = 0;
  let clock = START;
  const add = (stream: string, type: string, data: Record<string, unknown>, atMs: number, v?: number) =>
    out.push({ stream, id: `${seed}-${++n}`, type, data, metadata: { at: new Date(atMs).toISOString(), actor: 'system', ...(v ? { v } : {}) } });

  const departments = ['d-eng', 'd-ops', 'd-sales'];
  for (const d of departments) add(`department-${d}`, 'DepartmentOpened', { departmentId: d, name: `Dept ${d.slice(2)}` }, clock);
  const people = [VIEWER, 'emp-a', 'emp-b', 'emp-c', 'emp-d', 'emp-e', 'emp-f', 'emp-g'];
  for (const [i, p] of people.entries()) add(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person ${p.slice(4)}`, email: `${p}@example.test`, departmentId: departments[i % 3], joinedOn: '2020-01-01' }, clock);
  add(`employee-${VIEWER}`, 'EmployeeRoleGranted', { employeeId: VIEWER, role: 'leader' }, clock);
  add(`employee-${VIEWER}`, 'EmployeeRoleGranted', { employeeId: VIEWER, role: 'curator' }, clock);
  const themes = ['th-care', 'th-craft'];
  // words several stories share, in their first texts and in amendments, so that searches as of a
  // date match several stories, some by a text amended since (chosen by count, not at random: the
  // random choices, and so the logs' shapes, stay as they were)
  const places = ['near the plant', 'at the depot', 'on the night shift'];
  for (const t of themes) add(`theme-${t}`, 'ThemeDefined', { themeId: t, name: `Theme ${t.slice(3)}`, description: '' }, clock);

  interface S { id: string; teller: string; themes: Set<string>; retracted: boolean; last: number; awaiting: boolean; returned?: boolean }
  let reviewOn = false;
  const closed = new Set<string>();
  const gone = new Set<string>();
  const erased = new Set<string>();
  const retired = new Set<string>();
  const stories: S[] = [];
  const live = () => stories.filter((s) => !s.retracted);
  const tell = (atMs: number, retellingOf?: string): S => {
    const id = `s${stories.length + 1}-${seed}`;
    const s: S = { id, teller: pick(people.filter((p) => !erased.has(p))), themes: new Set(rnd() < 0.6 ? [pick(themes.filter((t) => !retired.has(t)))].filter((t) => t !== undefined) : []), retracted: false, last: atMs, awaiting: reviewOn };
    stories.push(s);
    add(`story-${id}`, 'StorySubmitted', {
      storyId: id, title: `Story ${stories.length} told`, body: `Word${stories.length} happened ${places[stories.length % 3]}, and the leader listened.`, tellerId: s.teller,
      happenedIn: departments[stories.length % 3],
      leader: pick(['Maren Holt', 'Ode Sato', 'Ivy Kern']), occurredOn: '2020', themes: [...s.themes], relation: 'witnessed',
      ...(opts.links && rnd() < 0.3 ? { leaderId: pick(people) } : {}),
      ...(retellingOf ? { retellingOf } : {}), anonymous: rnd() < 0.2,
    }, atMs, 2);
    return s;
  };
  const expose = (s: S, atMs: number) => {
    const x = pick(people);
    const r = rnd();
    if (r < 0.4) add(`circulation-${s.id}`, 'StoryRead', { storyId: s.id, readerId: x }, atMs);
    else {
      const y = pick(people.filter((p) => p !== x));
      if (r < 0.7) add(`circulation-${s.id}`, 'StoryHeard', { storyId: s.id, listenerId: x, fromId: y, setting: 'conversation' }, atMs);
      else add(`circulation-${s.id}`, 'StoryShared', { storyId: s.id, fromId: y, toId: x }, atMs);
    }
  };

  const orgStep = (k: number) => {
    const r = rnd();
    if (r < 0.25) {
      const d = pick(departments);
      add(`department-${d}`, 'DepartmentRenamed', { departmentId: d, name: `Dept ${d.slice(2)} renamed at ${k}` }, clock);
    } else if (r < 0.4) {
      const d = pick(departments);
      if (closed.delete(d)) add(`department-${d}`, 'DepartmentOpened', { departmentId: d, name: `Dept ${d.slice(2)} again at ${k}` }, clock);
      else {
        closed.add(d);
        add(`department-${d}`, 'DepartmentClosed', { departmentId: d }, clock);
      }
    } else if (r < 0.65) {
      const p = pick(people.filter((x) => x !== VIEWER && !erased.has(x)));
      if (gone.delete(p)) add(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person ${p.slice(4)}`, email: `${p}@example.test`, departmentId: pick(departments), joinedOn: '2021-03-01' }, clock);
      else {
        gone.add(p);
        add(`employee-${p}`, 'EmployeeLeft', { employeeId: p }, clock);
      }
    } else if (r < 0.8) {
      reviewOn = !reviewOn;
      add('archive-settings', 'ArchiveSettingsChanged', { reviewBeforePublishing: reviewOn }, clock);
    } else {
      const waiting = stories.filter((s) => s.awaiting && !s.retracted);
      if (waiting.length === 0) return;
      const s = pick(waiting);
      s.awaiting = false;
      s.returned = false;
      s.last = Math.max(s.last, clock);
      add(`story-${s.id}`, 'StoryApproved', { storyId: s.id }, s.last);
    }
  };

  const linkStep = (k: number) => {
    const r = rnd();
    const ls = live();
    if (r < 0.04) {
      // a new hire, after the first days
      const p = `emp-n${k}`;
      add(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person n${k}`, email: `${p}@example.test`, departmentId: pick(departments), joinedOn: '2021-03-01' }, clock);
      people.push(p);
    } else if (r < 0.3) {
      // more stories: long enough for a second timeline page
      tell(clock, ls.length && rnd() < 0.3 ? pick(ls).id : undefined);
    } else if (r < 0.5 && ls.length) {
      const s = pick(ls);
      s.last = Math.max(s.last, clock);
      add(`story-${s.id}`, 'LeaderLinked', { storyId: s.id, leaderId: pick(people) }, s.last);
    } else if (r < 0.7) {
      const waiting = ls.filter((s) => s.awaiting && !s.returned);
      const returned = ls.filter((s) => s.returned);
      if (waiting.length && (rnd() < 0.6 || !returned.length)) {
        const s = pick(waiting);
        s.returned = true;
        s.last = Math.max(s.last, clock);
        add(`story-${s.id}`, 'StoryReturned', { storyId: s.id, note: `Please say more (${k})` }, s.last);
      } else if (returned.length) {
        const s = pick(returned);
        s.returned = false;
        s.last = Math.max(s.last, clock);
        add(`story-${s.id}`, 'StoryAmended', { storyId: s.id, body: `Back for review at ${k}.`, reason: 'as asked' }, s.last);
      }
    } else if (r < 0.8) {
      const t = pick(themes);
      add(`theme-${t}`, 'ThemeDescribed', { themeId: t, ...(rnd() < 0.5 ? { name: `Theme ${t.slice(3)} at ${k}` } : {}), description: `Described at ${k}` }, clock);
    } else if (r < 0.85) {
      const t = pick(themes);
      if (!retired.has(t) && retired.size + 1 < themes.length) {
        retired.add(t);
        add(`theme-${t}`, 'ThemeRetired', { themeId: t }, clock);
      }
    } else {
      // a person who has left, erased (only after EmployeeLeft; never back)
      if (erased.size >= 2) return;
      const p = [...gone].find((x) => !erased.has(x));
      if (p === undefined) {
        const q = pick(people.filter((x) => x !== VIEWER && !gone.has(x) && !erased.has(x)));
        if (q === undefined) return;
        gone.add(q);
        add(`employee-${q}`, 'EmployeeLeft', { employeeId: q }, clock);
      } else {
        erased.add(p);
        add(`employee-${p}`, 'PersonErased', { employeeId: p }, clock);
      }
    }
  };

  for (let k = 0; k < steps; k++) {
    clock += Math.floor(rnd() * DAY * 0.4);
    if (opts.org && rnd() < 0.3) {
      orgStep(k);
      continue;
    }
    if (opts.links && rnd() < 0.35) {
      linkStep(k);
      continue;
    }
    const r = rnd();
    const ls = live();
    if (ls.length === 0 || r < 0.18) tell(clock, ls.length && rnd() < 0.3 ? pick(ls).id : undefined);
    else if (r < 0.26) {
      const s = pick(ls);
      s.last = Math.max(s.last, clock);
      add(`story-${s.id}`, 'StoryAmended', { storyId: s.id, ...(rnd() < 0.5 ? { title: `Story amended at ${k}` } : {}), body: `Amended${k}: the leader listened twice ${places[k % 3]}.`, reason: 'clearer' }, s.last);
    } else if (r < 0.3) {
      const s = pick(ls);
      s.retracted = true;
      s.last = Math.max(s.last, clock);
      add(`story-${s.id}`, 'StoryRetracted', { storyId: s.id, reason: 'asked to' }, s.last);
    } else if (r < 0.36) {
      const s = pick(ls);
      const t = pick(themes);
      s.last = Math.max(s.last, clock);
      if (s.themes.has(t)) {
        s.themes.delete(t);
        add(`story-${s.id}`, 'StoryUnthemed', { storyId: s.id, themeId: t }, s.last);
      } else {
        s.themes.add(t);
        add(`story-${s.id}`, 'StoryThemed', { storyId: s.id, themeId: t }, s.last);
      }
    } else if (r < 0.4) {
      const p = pick(people.filter((x) => x !== VIEWER));
      add(`employee-${p}`, 'EmployeeTransferred', { employeeId: p, departmentId: pick(departments) }, clock);
    } else if (r < 0.45 && !opts.ordered) {
      // an older story imported now: its stream dated one to three days back
      const back = clock - DAY * (1 + Math.floor(rnd() * 3));
      const s = tell(back);
      add(`story-${s.id}`, 'StoryAmended', { storyId: s.id, body: `Imported${k}: as first written.`, reason: 'import' }, back + 60_000);
      s.last = back + 60_000;
    } else if (r < 0.5 && !opts.ordered) {
      // a hearing recorded late: dated before events already in the log
      expose(pick(ls), Math.max(START, clock - DAY * 2));
    } else expose(pick(ls), clock);
  }
  return out;
}

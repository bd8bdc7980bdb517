/**
 * A generated, valid Hallway log of any size (departments, employees, themes, stories, then their
 * circulation), deterministic for a seed. Used by the store benchmarks and by the CLI tests
 * (round trip, kill -9 during import).
 */
import { prng } from '../events/seed/seed-types.ts';

export interface GeneratedLine {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { at: string; actor?: string; v?: number };
}

const uuid = (seed: number, n: number): string => {
  const h = ((seed * 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  const s = n.toString(16).padStart(12, '0');
  return `${h}-0000-4000-8000-${s}`;
};

/** `count` events (at least the organisation's ~60), in recorded order. */
export function* generateLog(count: number, seed = 1): Generator<GeneratedLine> {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let n = 0;
  let clock = Date.UTC(2024, 0, 1);
  const line = (type: string, data: Record<string, unknown>, actor = 'system', extra: Partial<GeneratedLine['metadata']> = {}): GeneratedLine => {
    n += 1;
    clock += 1000 + Math.floor(rnd() * 60_000);
    return { id: uuid(seed, n), type, data, metadata: { at: new Date(clock).toISOString(), actor, ...extra } };
  };
  const departments = ['eng', 'sales', 'support', 'ops', 'people'];
  for (const d of departments) yield line('DepartmentOpened', { departmentId: `dep-${d}`, name: d.toUpperCase() });
  const themes = ['candour', 'care', 'courage', 'craft', 'credit'];
  for (const t of themes) yield line('ThemeDefined', { themeId: `th-${t}`, name: t, description: `Stories about ${t}.` });
  const employees: string[] = [];
  for (let i = 1; i <= 40; i++) {
    const id = `emp-${i}`;
    employees.push(id);
    yield line('EmployeeJoined', { employeeId: id, name: `Person ${i}`, departmentId: `dep-${pick(departments)}`, joinedOn: '2023-06-01' });
  }
  const stories: string[] = [];
  while (n < count) {
    const r = rnd();
    if (stories.length === 0 || r < 0.05) {
      const storyId = `s-${stories.length + 1}`;
      const teller = pick(employees);
      stories.push(storyId);
      yield line(
        'StorySubmitted',
        {
          storyId,
          title: `Story ${stories.length}`,
          body: `What happened, told by ${teller}.\n\nAnd what it meant.`,
          tellerId: teller,
          leader: `Leader ${1 + Math.floor(rnd() * 9)}`,
          occurredOn: '2023-11',
          themes: [pick(themes)].map((t) => `th-${t}`),
          relation: 'witnessed',
          anonymous: rnd() < 0.1,
        },
        teller,
        { v: 2 },
      );
    } else if (r < 0.6) {
      const reader = pick(employees);
      yield line('StoryRead', { storyId: pick(stories), readerId: reader }, reader);
    } else if (r < 0.8) {
      const listener = pick(employees);
      let from = pick(employees);
      if (from === listener) from = employees[(employees.indexOf(listener) + 1) % employees.length]!;
      yield line('StoryHeard', { storyId: pick(stories), listenerId: listener, fromId: from, setting: 'conversation' }, listener);
    } else {
      const from = pick(employees);
      let to = pick(employees);
      if (to === from) to = employees[(employees.indexOf(from) + 1) % employees.length]!;
      yield line('StoryShared', { storyId: pick(stories), fromId: from, toId: to }, from);
    }
  }
}

/** The same log as JSONL text. */
export function generateJsonl(count: number, seed = 1): string {
  const out: string[] = [];
  for (const l of generateLog(count, seed)) out.push(JSON.stringify(l));
  return out.join('\n') + '\n';
}

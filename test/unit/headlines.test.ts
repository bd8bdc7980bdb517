import { describe, expect, it } from 'vitest';
import { headlines, windowPhrase } from '../../src/spread/headlines.ts';
import type { Dashboard } from '../../src/projections/spread-dashboard.ts';

const story = (storyId: string, title: string, added: number) => ({ storyId, title, size: added + 1, added, touches: added, newDepartments: 0, virality: 2, bucket: '2–3', bucketMedian: 2, curve: [] });
const dept = (id: string, quiet: boolean) => ({ id, name: id.toUpperCase(), told: 0, received: quiet ? 0 : 1, passedOn: 0, eiIndex: null, quiet });

describe('the dashboard headlines', () => {
  const groups = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => ({ id, name: id.toUpperCase(), employees: 5 }));
  it('says nothing for a window where nothing happened', () => {
    expect(headlines({ groups, stories: [], flows: [], departments: [], themes: [] }, new Map(), 'the last 30 days')).toEqual([]);
  });

  it('names at most four departments, the busiest crossing off the diagonal, and many quiet corners briefly', () => {
    const d: Dashboard = {
      groups,
      stories: [story('s1', 'One', 1)],
      flows: [
        { from: 'a', to: 'a', count: 50 },
        { from: 'a', to: 'b', count: 3 },
        { from: 'c', to: 'b', count: 4 },
      ],
      departments: groups.map((g) => dept(g.id, g.id !== 'b')),
      themes: [],
    };
    const said = headlines(d, new Map([['s1', ['B', 'C', 'D', 'E', 'F', 'G']]]), windowPhrase({ preset: 'all', label: 'all time' })).map((h) => h.text);
    expect(said).toEqual([
      '“One” travelled furthest so far: 1 person heard it for the first time, and it reached B, C, D, E and 2 more departments for the first time.',
      'Stories crossed most often from C to B: 4 times.',
      '7 departments heard nothing from outside, among them A, C and D.',
    ]);
  });

  it('names the window the way one would say it', () => {
    expect(windowPhrase({ preset: '30', label: 'the last 30 days' })).toBe('in the last 30 days');
    expect(windowPhrase({ preset: 'all', label: 'all time' })).toBe('so far');
    expect(windowPhrase({ label: 'from 2026-01-01 to 2026-01-31' })).toBe('in the window from 2026-01-01 to 2026-01-31');
  });
});

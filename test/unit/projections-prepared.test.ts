import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { preparedDuring, testHallway } from '../helpers.ts';
import type { NewEvent } from '../../src/store/port.ts';

/** One of each kind of event every projection handles, with ids fresh per round. */
function round(n: number): [string, NewEvent[]][] {
  const at = new Date(Date.UTC(2025, 0, 1 + n)).toISOString();
  const ev = (type: string, data: Record<string, unknown>, v = 1): NewEvent => ({ id: randomUUID(), type, data, metadata: { at, actor: 'system', v } });
  const d = `dep-${n}`, a = `emp-a${n}`, b = `emp-b${n}`, t = `theme-${n}`, s = `story-${n}`, r = `retold-${n}`;
  return [
    [`department-${d}`, [ev('DepartmentOpened', { departmentId: d, name: `Dept ${n}` }), ev('DepartmentRenamed', { departmentId: d, name: `Dept ${n} renamed` })]],
    [`department-closing-${n}`, []],
    [`employee-${a}`, [ev('EmployeeJoined', { employeeId: a, name: `A ${n}`, email: `a${n}@example.test`, departmentId: d, joinedOn: '2025-01-01' }), ev('EmployeeRoleGranted', { employeeId: a, role: 'curator' })]],
    [`employee-${b}`, [ev('EmployeeJoined', { employeeId: b, name: `B ${n}`, email: `b${n}@example.test`, departmentId: d, joinedOn: '2025-01-01' })]],
    [`theme-${t}`, [ev('ThemeDefined', { themeId: t, name: `Theme ${n}`, description: 'd' }), ev('ThemeDescribed', { themeId: t, description: 'e' })]],
    [`story-${s}`, [
      ev('StorySubmitted', { storyId: s, title: `T ${n}`, body: 'B', tellerId: a, leader: 'L', occurredOn: '2024', themes: [t], relation: 'witnessed', anonymous: false }, 2),
      ev('StoryAmended', { storyId: s, title: `T ${n} amended`, body: 'B2', reason: 'r' }),
      ev('StoryUnthemed', { storyId: s, themeId: t }),
      ev('StoryThemed', { storyId: s, themeId: t }),
    ]],
    [`circulation-${s}`, [
      ev('StoryRead', { storyId: s, readerId: b }),
      ev('StoryHeard', { storyId: s, listenerId: b, fromId: a, setting: 'meeting' }),
      ev('StoryShared', { storyId: s, fromId: b, toId: a }),
    ]],
    [`story-${r}`, [
      ev('StorySubmitted', { storyId: r, title: `R ${n}`, body: 'B', tellerId: b, leader: 'L', occurredOn: '2024', themes: [], relation: 'heard', retellingOf: s, anonymous: false }, 2),
      ev('StoryRetracted', { storyId: r, reason: 'r' }),
    ]],
    [`employee-${b}`, [ev('EmployeeTransferred', { employeeId: b, departmentId: 'dep-0' })]],
    [`theme-${t}`, [ev('ThemeRetired', { themeId: t })]],
    [`department-${d}`, [ev('DepartmentClosed', { departmentId: d })]],
  ];
}

describe('projections prepare their statements once', () => {
  it('applies a second round of every kind of event without preparing a statement', async () => {
    const h = await testHallway();
    try {
      const apply = async (n: number): Promise<void> => {
        for (const [stream, events] of round(n)) if (events.length) await h.store.append(stream, events, { expectedRevision: 'any' });
        await h.runtime.waitFor(await h.store.headPosition());
      };
      await apply(0);
      await apply(1);
      const db = h.runtime.db;
      expect(await preparedDuring(db, () => apply(2))).toEqual([]);
      // the round was applied, not skipped
      expect(db.prepare<[], number>("SELECT count(*) FROM story_stories WHERE story_id = 'story-2'").pluck().get()).toBe(1);
    } finally {
      await h.dispose();
    }
  });
});

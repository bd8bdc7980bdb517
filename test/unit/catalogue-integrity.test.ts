import { describe, expect, it } from 'vitest';
import type { HallwayEvent } from '../../events/catalogue.ts';
import { checkIntegrity, emptyIntegrity, evolveIntegrity } from '../../src/domain/integrity.ts';

/** folds events, refusing the first one the rules refuse; returns the reasons, null for accepted */
function run(events: HallwayEvent[]): (string | null)[] {
  const s = emptyIntegrity();
  return events.map((e) => {
    const reason = checkIntegrity(s, e);
    if (reason === null) evolveIntegrity(s, e);
    return reason;
  });
}
const last = (events: HallwayEvent[]) => run(events).at(-1);

const dept: HallwayEvent = { type: 'DepartmentOpened', data: { departmentId: 'd', name: 'D' } };
const join = (employeeId: string): HallwayEvent => ({ type: 'EmployeeJoined', data: { employeeId, name: employeeId, departmentId: 'd', joinedOn: '2024-01-01' } });
const theme: HallwayEvent = { type: 'ThemeDefined', data: { themeId: 't', name: 'T', description: '' } };
const story = (storyId = 's', extra: Partial<Extract<HallwayEvent, { type: 'StorySubmitted' }>['data']> = {}): HallwayEvent => ({
  type: 'StorySubmitted',
  data: { storyId, title: 'T', body: 'B', tellerId: 'a', leader: 'L', occurredOn: '2024', themes: ['t'], relation: 'heard', anonymous: false, ...extra },
});
const base = [dept, join('a'), join('b'), theme, story()];

describe('referential integrity', () => {
  it('accepts a consistent history', () => {
    expect(run([...base, { type: 'StoryShared', data: { storyId: 's', fromId: 'a', toId: 'b' } }, story('r', { tellerId: 'b', retellingOf: 's' })])).toEqual(
      Array(7).fill(null),
    );
  });

  it('needs EmployeeJoined before events about an employee, and an opened department', () => {
    expect(last([dept, { type: 'EmployeeTransferred', data: { employeeId: 'x', departmentId: 'd' } }])).toBe('employee x has not joined');
    expect(last([dept, { type: 'EmployeeRoleGranted', data: { employeeId: 'x', role: 'curator' } }])).toBe('employee x has not joined');
    expect(last([join('a')])).toBe('department d has not been opened');
    expect(last([dept, { type: 'DepartmentClosed', data: { departmentId: 'd' } }, join('a')])).toBe('department d is closed');
    expect(last([dept, join('a'), { type: 'EmployeeTransferred', data: { employeeId: 'a', departmentId: 'nope' } }])).toBe('department nope has not been opened');
  });

  it('needs the story for amendments, themes, retractions and circulation', () => {
    const missing = 'story nope does not exist';
    expect(last([...base, { type: 'StoryAmended', data: { storyId: 'nope', body: 'x', reason: 'r' } }])).toBe(missing);
    expect(last([...base, { type: 'StoryThemed', data: { storyId: 'nope', themeId: 't' } }])).toBe(missing);
    expect(last([...base, { type: 'StoryRetracted', data: { storyId: 'nope', reason: 'r' } }])).toBe(missing);
    expect(last([...base, { type: 'StoryRead', data: { storyId: 'nope', readerId: 'a' } }])).toBe(missing);
    expect(last([...base, { type: 'StoryHeard', data: { storyId: 'nope', listenerId: 'a', setting: 'meeting' } }])).toBe(missing);
    expect(last([...base, { type: 'StoryShared', data: { storyId: 'nope', fromId: 'a', toId: 'b' } }])).toBe(missing);
    expect(last([...base, story('r', { retellingOf: 'nope' })])).toBe(missing);
    expect(last([...base, story('s')])).toBe('story s already exists');
  });

  it('needs defined, unretired themes for StorySubmitted and StoryThemed', () => {
    expect(last([dept, join('a'), story()])).toBe('theme t is not defined');
    const retired: HallwayEvent = { type: 'ThemeRetired', data: { themeId: 't' } };
    expect(last([...base, retired, story('s2')])).toBe('theme t is retired');
    expect(last([...base, retired, { type: 'StoryThemed', data: { storyId: 's', themeId: 't' } }])).toBe('theme t is retired');
    expect(last([...base, { type: 'StoryThemed', data: { storyId: 's', themeId: 'u' } }])).toBe('theme u is not defined');
  });

  it('refuses exposures by or of someone who has left or not joined, and X = Y', () => {
    const left: HallwayEvent = { type: 'EmployeeLeft', data: { employeeId: 'b' } };
    expect(last([...base, left, { type: 'StoryRead', data: { storyId: 's', readerId: 'b' } }])).toBe('employee b has left');
    expect(last([...base, { type: 'StoryRead', data: { storyId: 's', readerId: 'z' } }])).toBe('employee z has not joined');
    expect(last([...base, left, { type: 'StoryHeard', data: { storyId: 's', listenerId: 'a', fromId: 'b', setting: 'meeting' } }])).toBe('employee b has left');
    expect(last([...base, left, { type: 'StoryShared', data: { storyId: 's', fromId: 'b', toId: 'a' } }])).toBe('employee b has left');
    expect(last([...base, left, story('r', { tellerId: 'b', retellingOf: 's' })])).toBe('employee b has left');
    expect(last([...base, { type: 'StoryHeard', data: { storyId: 's', listenerId: 'a', fromId: 'a', setting: 'meeting' } }])).toBe('one cannot hear a story from oneself');
    expect(last([...base, { type: 'StoryShared', data: { storyId: 's', fromId: 'a', toId: 'a' } }])).toBe('one cannot share a story with oneself');
  });
});

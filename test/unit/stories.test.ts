import { describe, expect, it } from 'vitest';
import type { DataOf } from '../../events/catalogue.ts';
import type { DomainError } from '../../src/domain/decider.ts';
import { storyDecider } from '../../src/domain/stories.ts';
import type { StoryCommand, StoryEvent, StoryRefs } from '../../src/domain/stories.ts';

/** given these events, when this command, then these events (or this error) */
const given = (...events: StoryEvent[]) => ({
  when: (command: StoryCommand) => storyDecider.decide(command, events.reduce(storyDecider.evolve, storyDecider.initialState())),
});

const teller = { employeeId: 'emp-1', curator: false };
const stranger = { employeeId: 'emp-2', curator: false };
const curator = { employeeId: 'emp-3', curator: true };
const refs: StoryRefs = { themes: { vision: 'active', serve: 'active', old: 'retired' }, departments: { noc: 'open', gone: 'closed' }, stories: ['s-0'] };

const data = (over: Partial<DataOf<'StorySubmitted'>> = {}): DataOf<'StorySubmitted'> => ({
  storyId: 's-1', title: 'The open house', body: 'He listened.', tellerId: 'emp-1', leader: 'The founder',
  occurredOn: '1999', themes: ['vision'], relation: 'witnessed', anonymous: false, ...over,
});
const submitted = (over: Partial<DataOf<'StorySubmitted'>> = {}): StoryEvent => ({ type: 'StorySubmitted', data: data(over) });
const err = (r: StoryEvent[] | DomainError): DomainError => r as DomainError;

describe('the story decider: the leader as a person', () => {
  const people: StoryRefs = { ...refs, people: { 'emp-7': 'left' } };
  const link = (actor: typeof teller, leaderId = 'emp-7', r: StoryRefs = people): StoryCommand => ({ type: 'LinkLeader', storyId: 's-1', actor, leaderId, refs: r });

  it('tells a story whose leader is a former colleague, and refuses a leaderId nobody here ever had (beside the leader field)', () => {
    expect(given().when({ type: 'TellStory', data: data({ leaderId: 'emp-7' }), refs: people })).toEqual([submitted({ leaderId: 'emp-7' })]);
    expect(err(given().when({ type: 'TellStory', data: data({ leaderId: 'emp-x' }), refs: people }))).toMatchObject({ error: 'unknown-leader', field: 'leader' });
  });

  it('links a leader to a person (curators only), once; linking again to the same person decides nothing', () => {
    expect(given(submitted()).when(link(curator))).toEqual([{ type: 'LeaderLinked', data: { storyId: 's-1', leaderId: 'emp-7' } }]);
    expect(err(given(submitted()).when(link(teller))).kind).toBe('forbidden');
    expect(given(submitted(), { type: 'LeaderLinked', data: { storyId: 's-1', leaderId: 'emp-7' } }).when(link(curator))).toEqual([]);
    expect(given(submitted({ leaderId: 'emp-7' })).when(link(curator))).toEqual([]);
    expect(err(given(submitted()).when(link(curator, 'emp-x')))).toMatchObject({ error: 'unknown-leader', field: 'leaderId' });
    expect(err(given().when(link(curator))).kind).toBe('not-found');
    expect(err(given(submitted(), { type: 'StoryRetracted', data: { storyId: 's-1', reason: 'wrong' } }).when(link(curator))).kind).toBe('conflict');
  });
});

describe('the story decider', () => {
  it('tells a new story', () => {
    expect(given().when({ type: 'TellStory', data: data(), refs })).toEqual([submitted()]);
  });

  it('refuses telling a story whose stream exists, even by its teller (a double submit never gets here: it is a no-op append)', () => {
    expect(err(given(submitted()).when({ type: 'TellStory', data: data(), refs })).kind).toBe('conflict');
  });

  it('refuses a story id already taken by someone else', () => {
    expect(err(given(submitted()).when({ type: 'TellStory', data: data({ tellerId: 'emp-9' }), refs })).kind).toBe('conflict');
  });

  it('refuses undefined or retired themes, a closed or unknown department, and retelling a missing story', () => {
    const cases: [Partial<DataOf<'StorySubmitted'>>, string, string][] = [
      [{ themes: ['nope'] }, 'themes', 'unknown-theme'],
      [{ themes: ['old'] }, 'themes', 'retired-theme'],
      [{ happenedIn: 'gone' }, 'happenedIn', 'closed-department'],
      [{ happenedIn: 'mars' }, 'happenedIn', 'unknown-department'],
      [{ retellingOf: 's-404' }, 'retellingOf', 'unknown-story'],
    ];
    for (const [over, field, error] of cases) {
      const e = err(given().when({ type: 'TellStory', data: data(over), refs }));
      expect({ field: e.field, error: e.error }).toEqual({ field, error });
    }
    expect(given().when({ type: 'TellStory', data: data({ happenedIn: 'noc', retellingOf: 's-0', themes: ['vision', 'serve'] }), refs })).toHaveLength(1);
  });

  it('amends what changed, by the teller or a curator, with the reason', () => {
    expect(given(submitted()).when({ type: 'AmendStory', storyId: 's-1', actor: teller, title: 'The open house', body: 'He listened, all night.', reason: 'detail' }))
      .toEqual([{ type: 'StoryAmended', data: { storyId: 's-1', body: 'He listened, all night.', reason: 'detail' } }]);
    expect(given(submitted()).when({ type: 'AmendStory', storyId: 's-1', actor: curator, title: 'Open house', reason: 'typo' }))
      .toEqual([{ type: 'StoryAmended', data: { storyId: 's-1', title: 'Open house', reason: 'typo' } }]);
  });

  it('refuses an amendment by anyone else, an amendment that changes nothing, and one of a retracted story', () => {
    expect(err(given(submitted()).when({ type: 'AmendStory', storyId: 's-1', actor: stranger, body: 'x', reason: 'y' })).kind).toBe('forbidden');
    expect(err(given(submitted()).when({ type: 'AmendStory', storyId: 's-1', actor: teller, body: 'He listened.', reason: 'y' })).error).toBe('unchanged');
    const retracted: StoryEvent = { type: 'StoryRetracted', data: { storyId: 's-1', reason: 'wrong' } };
    expect(err(given(submitted(), retracted).when({ type: 'AmendStory', storyId: 's-1', actor: teller, body: 'x', reason: 'y' })).error).toBe('retracted');
    expect(err(given().when({ type: 'AmendStory', storyId: 's-1', actor: teller, body: 'x', reason: 'y' })).kind).toBe('not-found');
  });

  it('amends against the latest text: a second amendment compares with the first one', () => {
    const amended: StoryEvent = { type: 'StoryAmended', data: { storyId: 's-1', body: 'Second text.', reason: 'r' } };
    expect(err(given(submitted(), amended).when({ type: 'AmendStory', storyId: 's-1', actor: teller, body: 'Second text.', reason: 'r' })).error).toBe('unchanged');
  });

  it('retracts once, by the teller or a curator', () => {
    expect(given(submitted()).when({ type: 'RetractStory', storyId: 's-1', actor: curator, reason: 'duplicate' }))
      .toEqual([{ type: 'StoryRetracted', data: { storyId: 's-1', reason: 'duplicate' } }]);
    expect(err(given(submitted()).when({ type: 'RetractStory', storyId: 's-1', actor: stranger, reason: 'mine now' })).kind).toBe('forbidden');
    const retracted: StoryEvent = { type: 'StoryRetracted', data: { storyId: 's-1', reason: 'wrong' } };
    expect(given(submitted(), retracted).when({ type: 'RetractStory', storyId: 's-1', actor: teller, reason: 'again' })).toEqual([]);
  });

  it('re-themes: curators only, defined unretired themes, at most five, no repeats', () => {
    expect(given(submitted()).when({ type: 'ThemeStory', storyId: 's-1', actor: curator, themeId: 'serve', refs }))
      .toEqual([{ type: 'StoryThemed', data: { storyId: 's-1', themeId: 'serve' } }]);
    expect(err(given(submitted()).when({ type: 'ThemeStory', storyId: 's-1', actor: teller, themeId: 'serve', refs })).kind).toBe('forbidden');
    expect(err(given(submitted()).when({ type: 'ThemeStory', storyId: 's-1', actor: curator, themeId: 'old', refs })).error).toBe('retired-theme');
    expect(given(submitted()).when({ type: 'ThemeStory', storyId: 's-1', actor: curator, themeId: 'vision', refs })).toEqual([]);
    const five = submitted({ themes: ['a', 'b', 'c', 'd', 'e'] });
    expect(err(given(five).when({ type: 'ThemeStory', storyId: 's-1', actor: curator, themeId: 'serve', refs })).error).toBe('too-many-themes');
    expect(given(submitted()).when({ type: 'UnthemeStory', storyId: 's-1', actor: curator, themeId: 'vision' }))
      .toEqual([{ type: 'StoryUnthemed', data: { storyId: 's-1', themeId: 'vision' } }]);
    const unthemed: StoryEvent = { type: 'StoryUnthemed', data: { storyId: 's-1', themeId: 'vision' } };
    expect(given(submitted(), unthemed).when({ type: 'UnthemeStory', storyId: 's-1', actor: curator, themeId: 'vision' })).toEqual([]);
  });
});

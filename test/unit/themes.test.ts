import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../src/domain/decider.ts';
import { themeDecider } from '../../src/domain/themes.ts';
import type { ThemeCommand, ThemeEvent } from '../../src/domain/themes.ts';
import { curationDecider } from '../../src/domain/curation.ts';
import type { CurationCommand, CurationEvent } from '../../src/domain/curation.ts';

const given = (...events: ThemeEvent[]) => ({
  when: (command: ThemeCommand) => themeDecider.decide(command, events.reduce(themeDecider.evolve, themeDecider.initialState())),
});
const defined: ThemeEvent = { type: 'ThemeDefined', data: { themeId: 'vision', name: 'Vision', description: 'Where we go.' } };
const retired: ThemeEvent = { type: 'ThemeRetired', data: { themeId: 'vision' } };
const err = (r: unknown): DomainError => r as DomainError;

describe('the theme decider', () => {
  it('defines a theme once', () => {
    expect(given().when({ type: 'DefineTheme', themeId: 'vision', name: 'Vision', description: 'Where we go.', nameHeldBy: null })).toEqual([defined]);
    expect(err(given(defined).when({ type: 'DefineTheme', themeId: 'vision', name: 'V', description: '', nameHeldBy: null })).kind).toBe('conflict');
  });

  it('describes a theme, naming it anew only when the name changed', () => {
    expect(given(defined).when({ type: 'DescribeTheme', themeId: 'vision', name: 'Vision', description: 'Together.' }))
      .toEqual([{ type: 'ThemeDescribed', data: { themeId: 'vision', description: 'Together.' } }]);
    expect(given(defined).when({ type: 'DescribeTheme', themeId: 'vision', name: 'A shared vision', description: 'Where we go.' }))
      .toEqual([{ type: 'ThemeDescribed', data: { themeId: 'vision', name: 'A shared vision', description: 'Where we go.' } }]);
    expect(given(defined).when({ type: 'DescribeTheme', themeId: 'vision', name: 'Vision', description: 'Where we go.' })).toEqual([]);
    const described: ThemeEvent = { type: 'ThemeDescribed', data: { themeId: 'vision', description: 'Together.' } };
    expect(given(defined, described).when({ type: 'DescribeTheme', themeId: 'vision', description: 'Together.' })).toEqual([]);
  });

  it('refuses a name another theme holds, ignoring case (EVENTS.md: theme names are unique)', () => {
    const taken = err(given().when({ type: 'DefineTheme', themeId: 'vision-2', name: 'VISION ', description: '', nameHeldBy: 'vision' }));
    expect({ error: taken.error, field: taken.field, kind: taken.kind }).toEqual({ error: 'name-taken', field: 'name', kind: 'invalid' });
    expect(err(given(defined).when({ type: 'DescribeTheme', themeId: 'vision', name: 'Customer first', description: 'x', nameHeldBy: 'customer' })).error).toBe('name-taken');
    // a theme keeps its own name, in another case too
    expect(given(defined).when({ type: 'DescribeTheme', themeId: 'vision', name: 'VISION', description: 'Where we go.', nameHeldBy: 'vision' }))
      .toEqual([{ type: 'ThemeDescribed', data: { themeId: 'vision', name: 'VISION', description: 'Where we go.' } }]);
  });

  it('refuses to describe an unknown or retired theme', () => {
    expect(err(given().when({ type: 'DescribeTheme', themeId: 'vision', description: 'x' })).kind).toBe('not-found');
    expect(err(given(defined, retired).when({ type: 'DescribeTheme', themeId: 'vision', description: 'x' })).error).toBe('retired');
  });

  it('retires a theme once', () => {
    expect(given(defined).when({ type: 'RetireTheme', themeId: 'vision' })).toEqual([retired]);
    expect(given(defined, retired).when({ type: 'RetireTheme', themeId: 'vision' })).toEqual([]);
    expect(err(given().when({ type: 'RetireTheme', themeId: 'vision' })).kind).toBe('not-found');
  });
});

describe('the Start here picks decider', () => {
  const givenPicks = (...events: CurationEvent[]) => ({
    when: (command: CurationCommand) => curationDecider.decide(command, events.reduce(curationDecider.evolve, curationDecider.initialState())),
  });
  const set = (storyIds: string[]): CurationEvent => ({ type: 'StartHerePicksSet', data: { storyIds } });

  it('sets the picks in the curator’s order', () => {
    expect(givenPicks().when({ type: 'SetStartHerePicks', storyIds: ['b', 'a'], known: ['a', 'b'], curator: true })).toEqual([set(['b', 'a'])]);
    expect(givenPicks(set(['b', 'a'])).when({ type: 'SetStartHerePicks', storyIds: ['b', 'a'], known: ['a', 'b'], curator: true })).toEqual([]);
    expect(givenPicks(set(['b', 'a'])).when({ type: 'SetStartHerePicks', storyIds: ['a', 'b'], known: ['a', 'b'], curator: true })).toEqual([set(['a', 'b'])]);
  });

  it('refuses non-curators, unknown stories, repeats and more than 20', () => {
    expect(err(givenPicks().when({ type: 'SetStartHerePicks', storyIds: ['a'], known: ['a'], curator: false })).kind).toBe('forbidden');
    expect(err(givenPicks().when({ type: 'SetStartHerePicks', storyIds: ['x'], known: [], curator: true })).error).toBe('unknown-story');
    expect(err(givenPicks().when({ type: 'SetStartHerePicks', storyIds: ['a', 'a'], known: ['a'], curator: true })).error).toBe('repeated');
    const many = Array.from({ length: 21 }, (_, i) => `s${i}`);
    expect(err(givenPicks().when({ type: 'SetStartHerePicks', storyIds: many, known: many, curator: true })).error).toBe('too-many');
  });
});

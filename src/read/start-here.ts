import type { Views } from '../projections/runtime.ts';
import type { Story, ThemeRef } from './stories.ts';
import { getStory, listThemes, mostCirculatedIdsInTheme, startHerePicks } from './stories.ts';
import { readByMe } from './reading.ts';
import { keptUntilViewsChange } from './kept.ts';

/**
 * Start here as a path for new hires: the curators' picks first, in their order, then for every
 * theme the picks do not already cover its most circulated story not yet on the path. No story
 * appears twice; a theme without a story left to give is skipped.
 */

export interface PathStep {
  story: Story;
  /** why it is on the path: a curator picked it, or it is this theme's story */
  because: { kind: 'pick' } | { kind: 'theme'; theme: ThemeRef };
  /** the viewer has read it (or told it) */
  read: boolean;
}

export interface StartHerePath {
  steps: PathStep[];
  /** how many steps the viewer has read: shown to them only */
  done: number;
}

/** Picks first, then one story per uncovered theme; pure over the lists it is given. */
export function buildPath(picks: Story[], themes: ThemeRef[], candidates: (themeId: string, n: number) => string[], load: (id: string) => Story | undefined): { story: Story; because: PathStep['because'] }[] {
  const steps: { story: Story; because: PathStep['because'] }[] = [];
  const onPath = new Set<string>();
  const covered = new Set<string>();
  for (const p of picks) {
    if (onPath.has(p.storyId)) continue;
    onPath.add(p.storyId);
    for (const t of p.themes) covered.add(t.themeId);
    steps.push({ story: p, because: { kind: 'pick' } });
  }
  for (const theme of themes) {
    if (covered.has(theme.themeId)) continue;
    // asking for one more than the path holds always leaves a story not yet on it, if the theme has one
    const id = candidates(theme.themeId, onPath.size + 1).find((c) => !onPath.has(c));
    const story = id === undefined ? undefined : load(id);
    if (!story) continue;
    onPath.add(story.storyId);
    for (const t of story.themes) covered.add(t.themeId);
    steps.push({ story, because: { kind: 'theme', theme: { themeId: theme.themeId, name: theme.name } } });
  }
  return steps;
}

export function startHerePath(db: Views, viewerId: string): StartHerePath {
  // the path is the same for everyone: built once per version of the read models; the progress is the viewer's
  const steps = keptUntilViewsChange(db, 'start-here:steps', () =>
    buildPath(startHerePicks(db), listThemes(db), (t, n) => mostCirculatedIdsInTheme(db, t, n), (id) => getStory(db, id)),
  );
  const read = readByMe(db, viewerId, steps.map((s) => s.story.storyId));
  const withRead = steps.map((s) => ({ ...s, read: read.has(s.story.storyId) || s.story.tellerId === viewerId }));
  return { steps: withRead, done: withRead.filter((s) => s.read).length };
}

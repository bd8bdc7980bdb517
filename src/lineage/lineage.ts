import type { Story } from '../read/stories.ts';
import { wordDiff } from './word-diff.ts';
import type { WordDiff } from './word-diff.ts';

/**
 * How a story changed as it was retold (issue 12): its family of tellings as a tree, each telling
 * with a word-level diff against the telling it retells and the similarity figure (word-diff.ts
 * defines it). Pure: the family comes from the stories read model (storyFamily).
 */
export interface Telling {
  story: Story;
  /** the telling it retells within the family (null for the root) */
  parentId: string | null;
  /** 0 for the original, 1 for its retellings, 2 for retellings of those… */
  depth: number;
  /** against the telling it retells; null for the root */
  diff: WordDiff | null;
}

export interface Lineage {
  root: string;
  /** in the order told (log order): a telling always comes after the one it retells */
  tellings: Telling[];
}

/** The family as a tree; `family` in the order told, its first member the root (storyFamily's order). */
export function lineageOf(family: Story[]): Lineage | null {
  const root = family[0];
  if (!root) return null;
  const byId = new Map<string, Telling>();
  const tellings: Telling[] = [];
  for (const story of family) {
    const parent = story.storyId === root.storyId || story.retellingOf === null ? undefined : byId.get(story.retellingOf);
    const t: Telling = {
      story,
      parentId: parent ? parent.story.storyId : null,
      depth: parent ? parent.depth + 1 : 0,
      diff: parent ? wordDiff(parent.story.body, story.body) : null,
    };
    byId.set(story.storyId, t);
    tellings.push(t);
  }
  return { root: root.storyId, tellings };
}

/** Similarity as the CLI prints it: a share between 0 and 1, to three decimals. */
export const roundedSimilarity = (d: WordDiff | null): number | null => (d ? Math.round(d.similarity * 1000) / 1000 : null);

/** `hallway lineage STORY_ID`'s JSON (the names are fixed by issue 12). */
export function lineageJson(l: Lineage): { root: string; tellings: { storyId: string; retellingOf: string | null; depth: number; at: string; similarity: number | null }[] } {
  return {
    root: l.root,
    tellings: l.tellings.map((t) => ({ storyId: t.story.storyId, retellingOf: t.parentId, depth: t.depth, at: t.story.toldAt, similarity: roundedSimilarity(t.diff) })),
  };
}

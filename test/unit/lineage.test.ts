import { describe, expect, it } from 'vitest';
import { similarityOf, wordDiff, words } from '../../src/lineage/word-diff.ts';
import { lineageJson, lineageOf } from '../../src/lineage/lineage.ts';
import type { Story } from '../../src/read/stories.ts';

const story = (storyId: string, retellingOf: string | null, body: string, toldPosition: number): Story => ({
  storyId, title: storyId, body, tellerId: 't', tellerName: 'T', leader: 'L', leaderId: null, leaderName: null, happenedIn: null, departmentName: null,
  occurredOn: '2020', relation: 'heard', retellingOf, anonymous: false, toldAt: `2024-01-0${toldPosition}T00:00:00.000Z`, toldPosition, amendedAt: null,
  revision: 0, retracted: false, retractedAt: null, retractedReason: null, exposure: 0, themes: [], review: null, reviewNote: null, reviewSince: null,
});

describe('the word diff and its similarity (share of the earlier telling\'s words kept, in order)', () => {
  it('counts words as runs of letters and digits, an inner apostrophe kept', () => {
    expect(words("She didn't call, at 2 a.m.!").tokens.map((t) => t.word)).toEqual(['She', "didn't", 'call', 'at', '2', 'a', 'm']);
  });

  it('is 1 for the same words (case and punctuation aside) and 0 when none is kept', () => {
    expect(wordDiff('Her own cell number.', 'her OWN cell number!').similarity).toBe(1);
    expect(wordDiff('Her own cell number', 'A pager instead').similarity).toBe(0);
    expect(similarityOf(0, 0, 0)).toBe(1);
    expect(similarityOf(0, 0, 3)).toBe(0);
  });

  it('is the longest common subsequence over the earlier word count: added words do not lower it, order matters', () => {
    const d = wordDiff('gave her cell number for six weeks', 'gave her own number and answered for weeks');
    // kept in order: gave her number for weeks = 5 of 7
    expect([d.kept, d.before, d.after]).toEqual([5, 7, 8]);
    expect(d.similarity).toBeCloseTo(5 / 7, 10);
    expect(wordDiff('a b c', 'a b c d e f').similarity).toBe(1);
    expect(wordDiff('a b c', 'c b a').similarity).toBeCloseTo(1 / 3, 10);
  });

  it('pieces read as the later text with the removed words where they were', () => {
    const d = wordDiff('her personal cell number', 'her own number');
    expect(d.pieces.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe('her own number');
    expect(d.pieces.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['personal cell']);
    expect(d.pieces.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['own']);
  });
});

describe('lineageOf: the family as a tree in the order told', () => {
  it('a chain: depth grows, each diffed against the one before', () => {
    const l = lineageOf([story('a', null, 'one two three four', 1), story('b', 'a', 'one two four', 2), story('c', 'b', 'one four', 3)])!;
    expect(lineageJson(l)).toEqual({
      root: 'a',
      tellings: [
        { storyId: 'a', retellingOf: null, depth: 0, at: '2024-01-01T00:00:00.000Z', similarity: null },
        { storyId: 'b', retellingOf: 'a', depth: 1, at: '2024-01-02T00:00:00.000Z', similarity: 0.75 },
        { storyId: 'c', retellingOf: 'b', depth: 2, at: '2024-01-03T00:00:00.000Z', similarity: 0.667 },
      ],
    });
  });

  it('a tree: two retellings of the root and one of a retelling, each against its own parent', () => {
    const l = lineageOf([
      story('r', null, 'x y z', 1), story('k1', 'r', 'x y', 2), story('k2', 'r', 'z', 3), story('g', 'k1', 'x y z w', 4),
    ])!;
    const j = lineageJson(l).tellings;
    expect(j.map((t) => [t.storyId, t.retellingOf, t.depth])).toEqual([['r', null, 0], ['k1', 'r', 1], ['k2', 'r', 1], ['g', 'k1', 2]]);
    expect(j.map((t) => t.similarity)).toEqual([null, 0.667, 0.333, 1]);
  });
});

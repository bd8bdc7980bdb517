import { diffArrays } from 'diff';

/**
 * A word-level diff between two tellings (or two versions of one telling), and the similarity
 * figure the lineage page and `hallway lineage` show. Pure: no I/O.
 *
 * Words are maximal runs of letters and digits (Unicode), an apostrophe inside a word keeping it
 * one word ("didn't"); everything between words (spaces, punctuation, line breaks) is the
 * separator before the next word. Words compare ignoring case (after NFC normalisation).
 *
 * similarity = kept / words(before), where `kept` is the number of words of `before` that `after`
 * keeps in order: the length of the longest common subsequence of the two word sequences, as the
 * `diff` package's Myers diff (diffArrays) finds it. So 1 means every word of the earlier telling
 * is still there in order (words may have been added), 0 means none is. An earlier telling with no
 * words has similarity 1 when the later one has none either, else 0.
 */

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

interface Token {
  word: string;
  /** what comes between the previous word and this one */
  before: string;
}

export function words(text: string): { tokens: Token[]; tail: string } {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    tokens.push({ word: m[0], before: text.slice(last, m.index) });
    last = m.index + m[0].length;
  }
  return { tokens, tail: text.slice(last) };
}

const key = (w: string): string => w.normalize('NFC').toLowerCase();

export interface Piece {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface WordDiff {
  /** the later text as pieces, with the removed words of the earlier one where they were */
  pieces: Piece[];
  /** words of the earlier text kept, in order, by the later one */
  kept: number;
  /** words in the earlier text */
  before: number;
  /** words in the later text */
  after: number;
  /** kept / before (see above), 0..1 */
  similarity: number;
}

export function similarityOf(kept: number, before: number, after: number): number {
  if (before === 0) return after === 0 ? 1 : 0;
  return kept / before;
}

export function wordDiff(earlier: string, later: string): WordDiff {
  const a = words(earlier);
  const b = words(later);
  const changes = diffArrays(a.tokens, b.tokens, { comparator: (x, y) => key(x.word) === key(y.word) });
  const pieces: Piece[] = [];
  const push = (kind: Piece['kind'], text: string): void => {
    if (!text) return;
    const prev = pieces[pieces.length - 1];
    if (prev && prev.kind === kind) prev.text += text;
    else pieces.push({ kind, text });
  };
  let kept = 0;
  for (const c of changes) {
    const kind: Piece['kind'] = c.added ? 'added' : c.removed ? 'removed' : 'same';
    if (kind === 'same') kept += c.value.length;
    // each word carries the separator before it (from its own text), so the pieces read as prose
    for (const t of c.value) push(kind, t.before + t.word);
  }
  push('same', b.tail);
  return { pieces, kept, before: a.tokens.length, after: b.tokens.length, similarity: similarityOf(kept, a.tokens.length, b.tokens.length) };
}

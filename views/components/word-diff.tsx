import type { WordDiff } from '../../src/lineage/word-diff.ts';

/** "85% of the words kept" (similarity as defined in src/lineage/word-diff.ts). */
export const similarityWords = (d: WordDiff): string => `${Math.round(d.similarity * 100)}% of the words kept`;

/**
 * A word-level diff as prose: removed words struck through, new words underlined, each also
 * named for screen readers (ins and del are not announced everywhere).
 */
export function WordDiffView({ diff, label }: { diff: WordDiff; label: string }) {
  return (
    <div class="word-diff" role="group" aria-label={label}>
      <p class="word-diff-figure">
        <strong>{similarityWords(diff)}</strong> <span class="muted">({diff.kept} of {diff.before}; {diff.after} words now)</span>
      </p>
      <p class="word-diff-text">
        {diff.pieces.map((p) =>
          p.kind === 'same' ? p.text : p.kind === 'added' ? (
            <ins><span class="sr-only">[added:]</span>{p.text}</ins>
          ) : (
            <del><span class="sr-only">[removed:]</span>{p.text}</del>
          ),
        )}
      </p>
    </div>
  );
}

import type { CurrentUser } from '../../src/http/env.ts';
import type { Lineage, Telling } from '../../src/lineage/lineage.ts';
import { StoryBody } from '../fragments/story-body.tsx';
import { formatInstant, TellerName } from '../fragments/story-meta.tsx';
import { WordDiffView } from '../components/word-diff.tsx';
import { plural } from '../components/format.ts';

export interface LineageProps {
  lineage: Lineage;
  viewer: CurrentUser;
  /** the story the page was opened from */
  current: string;
  /** whether the viewer may see a telling (retracted and awaiting-review ones only for some) */
  sees: (t: Telling) => boolean;
  /** the teller's department when told, when the viewer may know the teller */
  departmentOf: (t: Telling) => string | null;
}

/**
 * The family of tellings as a tree: each telling with its teller (or "anonymous"), when it was
 * told and the teller's department, and a word-level diff against the telling it retells. A
 * telling the viewer may not see keeps its place in the tree without its text, and the tellings
 * that retell it show their own text without a diff (the diff would show its words).
 */
export function LineagePage({ lineage, viewer, current, sees, departmentOf }: LineageProps) {
  const children = new Map<string | null, Telling[]>();
  for (const t of lineage.tellings) {
    const list = children.get(t.parentId) ?? [];
    list.push(t);
    children.set(t.parentId, list);
  }
  const byId = new Map(lineage.tellings.map((t) => [t.story.storyId, t]));
  const root = byId.get(lineage.root)!;
  const shown = lineage.tellings.filter(sees).length;

  const node = (t: Telling) => {
    const kids = children.get(t.story.storyId) ?? [];
    const parent = t.parentId ? byId.get(t.parentId) : undefined;
    const s = t.story;
    return (
      <li class={s.storyId === current ? 'telling current' : 'telling'} id={`telling-${s.storyId}`}>
        {sees(t) ? (
          <article aria-labelledby={`telling-title-${s.storyId}`}>
            <h2 id={`telling-title-${s.storyId}`}>
              <a href={`/stories/${s.storyId}`}>{s.title}</a>
              {s.storyId === current ? <span class="muted"> (the story you came from)</span> : null}
            </h2>
            <p class="telling-meta">
              {t.depth === 0 ? 'The original, told by ' : parent && sees(parent) ? <>Retelling “{parent.story.title}”, told by </> : 'A retelling, told by '}
              <TellerName story={s} viewer={viewer} />
              {departmentOf(t) ? <>, in {departmentOf(t)}</> : null}, on <time datetime={s.toldAt}>{formatInstant(s.toldAt)}</time>.
              {s.retracted ? <strong class="flag"> Retracted.</strong> : null}
              {s.review ? <strong class="flag"> Awaiting review.</strong> : null}
            </p>
            {t.diff && parent && sees(parent) ? (
              <WordDiffView diff={t.diff} label={`How “${s.title}” differs from the telling it retells`} />
            ) : (
              <StoryBody text={s.body} />
            )}
          </article>
        ) : (
          <p class="muted telling-hidden">A telling not shown to you.</p>
        )}
        {kids.length > 0 ? <ul class="tellings">{kids.map(node)}</ul> : null}
      </li>
    );
  };

  return (
    <section class="lineage">
      <h1>How “{sees(root) ? root.story.title : 'this story'}” changed as it was retold</h1>
      <p class="lead">
        {plural(shown, 'telling', 'tellings')}, the original first and each retelling under the telling it retells. Each retelling shows,
        word by word, what it changed: <del>struck-through words</del> were in the telling it retells and are gone, <ins>underlined words</ins> are new.
        The share of words kept counts the words of the earlier telling that the retelling keeps, in order.
      </p>
      <ul class="tellings root">{node(root)}</ul>
    </section>
  );
}

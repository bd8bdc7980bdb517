import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../../src/http/env.ts';
import type { HistoryEntry, Story, Theme } from '../../src/read/stories.ts';
import { isCurator, visibleTeller } from '../../src/read/stories.ts';
import { StoryBody } from '../fragments/story-body.tsx';
import { formatInstant, formatOccurredOn, leaderHref, RELATION_LABELS, TellerName } from '../fragments/story-meta.tsx';
import { Avatar } from '../components/avatar.tsx';
import { ThemeChips } from '../components/theme-chip.tsx';
import { When } from '../components/when.tsx';
import { similarityWords, WordDiffView } from '../components/word-diff.tsx';
import { wordDiff } from '../../src/lineage/word-diff.ts';

export interface StoryPageProps {
  story: Story;
  viewer: CurrentUser;
  history: HistoryEntry[];
  retellings: Story[];
  /** the story this one retells, if it does and that one is still readable */
  retells: Story | null;
  /** active themes a curator may add */
  themes: Theme[];
  /** the circulation area's panel (rendered by the route) */
  circulation?: Child;
  notice?: string | undefined;
  /** a curator's theme change, confirmed beside the theme editor */
  themeNotice?: string | undefined;
  /** just told by the viewer: thank them and say what happens next */
  thanks?: boolean;
  /** how many tellings of its family this viewer sees: the page links to the lineage when more than one */
  tellings?: number;
  /** the teller's receipt (rendered by the route; only on the teller's page) */
  receipt?: Child | undefined;
}

/** After telling a story: thanks, and what happens to it now. */
function ToldThanks({ story }: { story: Story }) {
  return (
    <section class="thanks" role="status" aria-labelledby="thanks-heading">
      <h2 id="thanks-heading">Thank you for telling it</h2>
      {story.review ? (
        <p class="notice awaiting-review">
          This archive reviews stories before publishing them: yours waits for a curator. Until a curator approves it,
          only you and curators see it.
        </p>
      ) : null}
      <p>{story.review ? 'What happens next:' : 'Your story is in the archive now. What happens next:'}</p>
      <ul>
        <li>{story.review ? 'Once a curator approves it, colleagues' : 'Colleagues'} find it on the timelines{story.themes.length > 0 ? ', under its themes' : ''} and in search.</li>
        <li>When they read it, say they had heard it, send it on or retell it, you will see here how far it went: how many people and departments, never who.</li>
        <li>{story.anonymous ? 'Your name stays off it: only curators can see who told it.' : 'Your name is on it as its teller.'}</li>
        <li>You can amend it or retract it at any time, from this page.</li>
      </ul>
      <p><a href="/">Back to the home page</a> or <a href="/stories/new">tell another</a>.</p>
    </section>
  );
}

/** Who made a change, without unmasking an anonymous teller. */
function actorName(entry: HistoryEntry, story: Story, viewer: CurrentUser): string {
  if (entry.actor === story.tellerId) {
    const teller = visibleTeller(story, viewer);
    return teller ? teller.name : 'the teller';
  }
  return entry.actorName ?? entry.actor ?? 'someone';
}

function History({ story, history, viewer }: { story: Story; history: HistoryEntry[]; viewer: CurrentUser }) {
  return (
    <section class="history" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol>
        {history.map((h) => {
          const who = actorName(h, story, viewer);
          const when = <When at={h.at} />;
          switch (h.type) {
            case 'StorySubmitted':
              return <li>Told {when} by {who}.</li>;
            case 'StoryAmended':
              return (
                <li class="amendment">
                  Amended {when} by {who}. Reason: <q>{h.reason}</q>
                  {h.titleBefore !== null ? (
                    <div class="earlier">
                      <span class="label">Earlier title:</span> <span class="earlier-title">{h.titleBefore}</span>
                    </div>
                  ) : null}
                  {h.bodyBefore !== null ? (
                    <details class="earlier">
                      <summary>Earlier text</summary>
                      <StoryBody text={h.bodyBefore} />
                    </details>
                  ) : null}
                  {/* the amendment shown as the lineage page shows a retelling: word by word, with the share kept */}
                  {h.bodyBefore !== null && h.bodyAfter !== null ? (
                    <details class="changes">
                      <summary>What changed, word by word ({similarityWords(wordDiff(h.bodyBefore, h.bodyAfter))})</summary>
                      <WordDiffView diff={wordDiff(h.bodyBefore, h.bodyAfter)} label={`Changes in the amendment of ${formatInstant(h.at)}`} />
                    </details>
                  ) : null}
                </li>
              );
            case 'StoryThemed':
              return <li>Theme “{h.theme?.name}” added {when} by {who}.</li>;
            case 'StoryUnthemed':
              return <li>Theme “{h.theme?.name}” removed {when} by {who}.</li>;
            case 'StoryRetracted':
              return <li>Retracted {when} by {who}. Reason: <q>{h.reason}</q></li>;
          }
        })}
      </ol>
    </section>
  );
}

function ThemeEditor({ story, themes, done }: { story: Story; themes: Theme[]; done?: string | undefined }) {
  const addable = themes.filter((t) => !story.themes.some((s) => s.themeId === t.themeId));
  return (
    <section class="retheme" aria-labelledby="retheme-heading">
      <h2 id="retheme-heading">Themes (curators)</h2>
      {/* what the curator just did, beside the form they used */}
      <p class={done ? 'notice done' : 'done-empty'} role="status" aria-live="polite">
        {done ?? ''}
      </p>
      <ul class="plain">
        {story.themes.map((t) => (
          <li>
            {t.name}{' '}
            <form method="post" action={`/stories/${story.storyId}/themes/remove`} class="inline">
              <input type="hidden" name="themeId" value={t.themeId} />
              <button type="submit" class="link">Remove “{t.name}”</button>
            </form>
          </li>
        ))}
      </ul>
      {addable.length > 0 && story.themes.length < 5 ? (
        <form method="post" action={`/stories/${story.storyId}/themes`} class="row">
          <label for="add-theme">Add a theme</label>
          <select id="add-theme" name="themeId">
            {addable.map((t) => <option value={t.themeId}>{t.name}</option>)}
          </select>
          <button type="submit" class="secondary">Add</button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * The story page is built from parts that are the same for everyone seeing it from the same
 * perspective (roles, and whether they told it or a retelling: src/http/shared-parts.ts), which the
 * route keeps, and parts personal to the request (thanks, notices, the circulation panel with the
 * viewer's "you heard this" and the teller's reach, the curator's theme notice), rendered each time.
 * StoryPage puts them together in order; src/http/story-page.tsx does the same with kept parts.
 */

/** From the retraction notice to the teller's actions: the story itself (shared per perspective). */
export function StoryMain({ story, viewer, retells, tellings = 1 }: Pick<StoryPageProps, 'story' | 'viewer' | 'retells' | 'tellings'>) {
  const mayChange = isCurator(viewer) || viewer.employeeId === story.tellerId;
  return (
    <>
      {story.retracted ? (
        <p class="notice retracted" role="note">
          Retracted {story.retractedAt ? formatInstant(story.retractedAt) : ''}: <q>{story.retractedReason}</q>. Only curators see this page.
        </p>
      ) : null}
      <ReviewNotice story={story} viewer={viewer} />
      <h1>{story.title}</h1>
      <dl class="story-meta">
        <dt>Told by</dt>
        <dd><TellerName story={story} viewer={viewer} /> <span class="muted">({RELATION_LABELS[story.relation]})</span></dd>
        <dt>Leader</dt>
        <dd class="person-cell"><Avatar name={story.leader} size="sm" /><a href={leaderHref(story.leader, story.leaderId)}>{story.leader}</a>
          {story.leaderName && story.leaderName !== story.leader ? <span class="muted"> ({story.leaderName})</span> : null}
        </dd>
        <dt>When</dt>
        <dd>{formatOccurredOn(story.occurredOn)}</dd>
        {story.happenedIn ? (
          <>
            <dt>Where</dt>
            <dd><a href={`/departments/${story.happenedIn}`}>{story.departmentName ?? story.happenedIn}</a></dd>
          </>
        ) : null}
        <dt>Themes</dt>
        <dd>
          {story.themes.length === 0 ? <span class="muted">none</span> : null}
          <ThemeChips themes={story.themes} />
        </dd>
        {retells ? (
          <>
            <dt>Retells</dt>
            <dd><a href={`/stories/${retells.storyId}`}>{retells.title}</a></dd>
          </>
        ) : null}
        {tellings > 1 ? (
          <>
            <dt>Lineage</dt>
            <dd><a href={`/stories/${story.storyId}/lineage`}>How it changed as it was retold ({tellings} tellings)</a></dd>
          </>
        ) : null}
      </dl>
      <StoryBody text={story.body} />
      {mayChange && !story.retracted ? (
        <p class="actions">
          <a class="button secondary" href={`/stories/${story.storyId}/amend`}>Amend</a>{' '}
          <a class="button secondary" href={`/stories/${story.storyId}/retract`}>Retract</a>
        </p>
      ) : null}
    </>
  );
}

/**
 * Awaiting review (only its teller and curators see the page): marked so, and when a curator
 * returned it, their note and what to do.
 */
function ReviewNotice({ story, viewer }: Pick<StoryPageProps, 'story' | 'viewer'>) {
  if (story.review === 'returned') {
    return (
      <div class="notice returned" role="note">
        <p><strong>Returned by a curator</strong> with this note:</p>
        <blockquote class="review-note">{story.reviewNote}</blockquote>
        <p>
          {viewer.employeeId === story.tellerId ? 'Amend the story and it goes back to the curators.' : 'It is with its teller until they amend it.'}{' '}
          Until it is approved, only its teller and curators see it.
        </p>
      </div>
    );
  }
  if (story.review === 'waiting') {
    return (
      <p class="notice awaiting-review" role="note">
        <strong>Awaiting review</strong> since {formatInstant(story.reviewSince ?? story.toldAt)}: only its teller and curators see it until a
        curator approves it.{isCurator(viewer) ? <> <a href={`/review#review-${story.storyId}`}>Review it in the queue</a>.</> : null}
      </p>
    );
  }
  return null;
}

/** The retellings (shared per perspective: an anonymous reteller sees their own name). */
export function StoryRetellings({ retellings, viewer }: Pick<StoryPageProps, 'retellings' | 'viewer'>) {
  return (
    <section aria-labelledby="retellings-heading">
      <h2 id="retellings-heading">Retellings</h2>
      {retellings.length === 0 ? (
        <p class="muted">No one has retold it yet.</p>
      ) : (
        <ul>
          {retellings.map((r) => (
            <li><a href={`/stories/${r.storyId}`}>{r.title}</a> <span class="muted">told by <TellerName story={r} viewer={viewer} /></span></li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The curator's theme editor, with the notice of what they just did (personal: rendered per request). */
export function StoryThemeEditor({ story, viewer, themes, themeNotice }: Pick<StoryPageProps, 'story' | 'viewer' | 'themes' | 'themeNotice'>) {
  return isCurator(viewer) && !story.retracted ? <ThemeEditor story={story} themes={themes} done={themeNotice} /> : null;
}

/** The story's history (shared per perspective). */
export function StoryHistory({ story, history, viewer }: Pick<StoryPageProps, 'story' | 'history' | 'viewer'>) {
  return <History story={story} history={history} viewer={viewer} />;
}

/** The personal part above the story: thanks after telling it, a refused form's message. */
export function StoryTopNotices({ story, notice, thanks }: Pick<StoryPageProps, 'story' | 'notice' | 'thanks'>) {
  return (
    <>
      {thanks ? <ToldThanks story={story} /> : null}
      {notice ? <p class="notice" role="status">{notice}</p> : null}
    </>
  );
}

/** The parts in order; `shared` replaces the shared parts with kept HTML when the route has it. */
export function StoryPage(props: StoryPageProps & { shared?: { main: Child; retellings: Child; history: Child } }) {
  const { story, circulation, shared } = props;
  return (
    <article class="story">
      <StoryTopNotices {...props} />
      {shared ? shared.main : <StoryMain {...props} />}
      {story.retracted || story.review ? null : circulation}
      {props.receipt ?? null}
      {shared ? shared.retellings : <StoryRetellings {...props} />}
      <StoryThemeEditor {...props} />
      {shared ? shared.history : <StoryHistory {...props} />}
    </article>
  );
}

export function StoryGonePage({ status }: { status: 404 | 410 }) {
  return (
    <section class="narrow">
      <h1>{status === 410 ? 'This story was retracted' : 'No such story'}</h1>
      <p>{status === 410 ? 'Its teller or a curator took it out of the archive.' : 'There is no story here. It may have been mistyped.'}</p>
      <p><a href="/timelines">All stories</a></p>
    </section>
  );
}

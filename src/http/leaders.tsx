import { Hono } from 'hono';
import { Id } from '../../events/common.ts';
import { commit, loadState } from '../command.ts';
import type { Write } from '../command.ts';
import { isDomainError } from '../domain/decider.ts';
import type { DomainError } from '../domain/decider.ts';
import { storyDecider, storyStream } from '../domain/stories.ts';
import type { StoryEvent } from '../domain/stories.ts';
import { leaderKey } from '../projections/stories.ts';
import { orgQueries } from '../read/org.ts';
import { isCurator, storiesNamingLeader } from '../read/stories.ts';
import { statusOf } from './refusal.ts';
import type { AppContext, AppEnv } from './env.ts';
import { LeaderMatches, OUTSIDE } from '../../views/fragments/leader-picker.tsx';
import type { LeaderCandidate } from '../../views/fragments/leader-picker.tsx';

/**
 * The leader as a person: suggestions of current and former colleagues while a teller types the
 * leader's name, how a typed name becomes a linked person, and curators linking a free-text name
 * to a person afterwards (LeaderLinked, one per story that names the leader that way).
 */

/** Current and former colleagues whose name contains `q`, current ones first. */
export function leaderCandidates(ctx: AppContext, q: string, limit = 8): LeaderCandidate[] {
  const needle = leaderKey(q);
  if (!needle) return [];
  const org = orgQueries(ctx.runtime.db);
  const names = new Map(org.departments().map((d) => [d.departmentId, d.name]));
  return org
    .employees()
    .filter((e) => leaderKey(e.name).includes(needle) || needle.includes(leaderKey(e.name)))
    .sort((a, b) => Number(a.leftAt !== null) - Number(b.leftAt !== null))
    .slice(0, limit)
    .map((e) => ({ employeeId: e.employeeId, name: e.name, department: names.get(e.departmentId) ?? '', former: e.leftAt !== null }));
}

/** Every current and former colleague's name, once, for the form's <datalist>. */
export function colleagueNames(ctx: AppContext): string[] {
  return [...new Set(orgQueries(ctx.runtime.db).employees().map((e) => e.name))];
}

/** Whether each named person works here now, has left, or (missing) never did. */
export function peopleStanding(ctx: AppContext, ids: string[]): Record<string, 'active' | 'left'> {
  const org = orgQueries(ctx.runtime.db);
  const out: Record<string, 'active' | 'left'> = {};
  for (const id of ids) {
    const e = org.employee(id);
    if (e) out[id] = e.leftAt ? 'left' : 'active';
  }
  return out;
}

/**
 * The leader a story form names: a chosen person wins (and a partly typed name becomes the
 * person's name); "someone else" keeps the free text unlinked; with no choice, a name typed exactly
 * as one person's (spacing and case aside) is linked to them.
 */
export function resolveLeader(ctx: AppContext, typed: string, chosen: string): { leader: string; leaderId?: string } {
  const leader = typed.trim();
  if (chosen === OUTSIDE) return { leader };
  if (chosen) {
    const person = orgQueries(ctx.runtime.db).employee(chosen);
    if (!person) return { leader, leaderId: chosen }; // refused by the decider, beside the field
    const k = leaderKey(leader);
    return { leader: !k || leaderKey(person.name).includes(k) ? person.name : leader, leaderId: chosen };
  }
  const exact = orgQueries(ctx.runtime.db).employees().filter((e) => leaderKey(e.name) === leaderKey(leader));
  return exact.length === 1 ? { leader, leaderId: exact[0]!.employeeId } : { leader };
}

export function leaderRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // <input name="leader" hx-get="/stories/new/leaders" hx-target="#leader-matches">
  app.get('/stories/new/leaders', (c) => {
    const q = (c.req.query('leader') ?? '').slice(0, 200);
    return c.html(<LeaderMatches query={q} matches={leaderCandidates(ctx, q)} />);
  });

  /**
   * A curator links a leader, as tellers wrote the name, to a person: every story (not retracted)
   * that names the leader that way gets a LeaderLinked, all in one append.
   * <form method="post" action="/leaders/link"><input type="hidden" name="leader"><input name="person" list="leader-people">
   */
  app.post('/leaders/link', async (c) => {
    const user = c.get('user')!;
    const form = await c.req.parseBody();
    const leader = typeof form['leader'] === 'string' ? form['leader'].trim() : '';
    const typed = typeof form['person'] === 'string' ? form['person'].trim() : '';
    const chosen = typeof form['leaderId'] === 'string' ? form['leaderId'].trim() : '';
    const refuse = (status: 404 | 409 | 422 | 403, message: string) => {
      c.status(status);
      return c.render(
        <section class="narrow">
          <h1>Not linked</h1>
          <p role="alert">{message}</p>
          <p><a href="/leaders">Back to the leaders</a></p>
        </section>,
        { title: 'Not linked' },
      );
    };
    if (!isCurator(user)) return refuse(403, 'Only curators link a leader to a person.');
    let leaderId = chosen;
    if (!leaderId) {
      const exact = orgQueries(ctx.runtime.db).employees().filter((e) => leaderKey(e.name) === leaderKey(typed));
      if (exact.length !== 1) return refuse(422, exact.length === 0 ? `Nobody who works or worked here is called “${typed}”.` : `Several people are called “${typed}”.`);
      leaderId = exact[0]!.employeeId;
    }
    if (!Id.safeParse(leaderId).success) return refuse(422, 'Choose a person from the list.');
    const storyIds = leader ? storiesNamingLeader(ctx.runtime.db, leader) : [];
    if (storyIds.length === 0) return refuse(404, `No story names the leader “${leader}”.`);
    const refs = { themes: {}, departments: {}, stories: [], people: peopleStanding(ctx, [leaderId]) };
    const writes: Write[] = [];
    for (const storyId of storyIds) {
      const { state, revision } = await loadState(ctx.store, storyStream(storyId), storyDecider);
      const decided: StoryEvent[] | DomainError = storyDecider.decide({ type: 'LinkLeader', storyId, actor: { employeeId: user.employeeId, curator: true }, leaderId, refs }, state);
      if (isDomainError(decided)) {
        if (decided.kind === 'conflict') continue; // a story retracted meanwhile keeps its leader as written
        return refuse(statusOf(decided) === 404 ? 404 : 422, `${decided.field === 'leaderId' ? 'That person ' : ''}${decided.message}.`);
      }
      if (decided.length > 0) writes.push({ stream: storyStream(storyId), events: decided, expectedRevision: revision });
    }
    await commit(ctx, user.employeeId, writes);
    // the notice names the person from the archive, never text carried in the address
    const done = `/leaders?linked=${encodeURIComponent(leaderId)}`;
    if (c.req.header('hx-request') === 'true') {
      c.header('HX-Redirect', done);
      return c.body(null, 200);
    }
    return c.redirect(done, 303);
  });

  return app;
}

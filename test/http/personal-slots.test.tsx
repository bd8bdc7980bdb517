import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { get, givenRead, givenStory, givenTheme } from './stories-given.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import type { AppContext, CurrentUser } from '../../src/http/env.ts';
import { getStory, isCurator, listThemes, recentStories, retellingsOf, storyFamily, storyHistory } from '../../src/read/stories.ts';
import { seesTelling } from '../../src/http/lineage.tsx';
import { unreadSentTo } from '../../src/read/reading.ts';
import { startHerePath } from '../../src/read/start-here.ts';
import { circulationCounters, storyReach } from '../../src/read/spread.ts';
import { lastHeard } from '../../src/read/reading.ts';
import { CirculationPanel } from '../../views/fragments/circulation-panel.tsx';
import { tellersReceipt } from '../../src/http/receipts.tsx';
import { StoryReceipt } from '../../views/fragments/story-receipt.tsx';
import { isNewHire } from '../../src/http/timelines.tsx';
import { StoryPage } from '../../views/pages/story.tsx';
import { HomePage } from '../../views/pages/home.tsx';
import { SharedWithMe } from '../../views/fragments/shared-with-me.tsx';

/**
 * The story page and home are composed from parts kept per perspective (src/http/shared-parts.ts)
 * and parts rendered for each request (the circulation panel, reach, thanks, notices, Sent to you,
 * Start here's progress, the new hire's name). The composed page must be exactly the page rendered
 * whole for that viewer, whoever asked first: each check below renders the page whole, here, with
 * nothing kept, and finds it, character for character, in what the app answered.
 */

type Person = Awaited<ReturnType<typeof signedIn>> & { joinedOn: string };
const viewerOf = (p: Person): CurrentUser => ({ employeeId: p.employeeId, name: p.name, departmentId: p.departmentId, joinedOn: p.joinedOn, roles: p.roles, via: 'session' });
const html = async (el: JSX.Element) => String(await el.toString());

const now = new Date('2026-03-02T12:00:00.000Z');
const EVIL = `Tess <b>"O'Teller"</b> & Co`;

async function person(h: AppContext, name: string, extra: { roles?: ('curator' | 'leader' | 'admin')[]; joinedOn?: string } = {}): Promise<Person> {
  const joinedOn = extra.joinedOn ?? '2020-01-15';
  return { ...(await signedIn(h, { name, joinedOn, ...(extra.roles ? { roles: extra.roles } : {}) })), joinedOn };
}

describe('the story page: kept parts and personal parts make the same page as a whole render', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Person, curator: Person, other: Person, hidden: Person, reteller: Person;
  let storyId: string, anonymousId: string;

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    await givenTheme(h, 'care', 'Care <i>');
    await givenTheme(h, 'craft', 'Craft');
    teller = await person(h, EVIL);
    curator = await person(h, 'Cora <script>Curator</script>', { roles: ['curator'] });
    other = await person(h, 'Otto Other');
    hidden = await person(h, 'Hal Hidden <b>');
    reteller = await person(h, 'Remy Reteller');
    storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'The <em>open</em> door', themes: ['care'] });
    anonymousId = await givenStory(h, { tellerId: hidden.employeeId, title: 'Told without a name', anonymous: true, retellingOf: storyId });
    await givenStory(h, { tellerId: reteller.employeeId, title: 'Heard it too', anonymous: true, retellingOf: storyId });
    // the other employee has heard it before: their panel says so, nobody else's
    await givenRead(h, storyId, other.employeeId);
    await givenRead(h, storyId, curator.employeeId);
  });
  afterAll(async () => h.dispose());

  /** The circulation panel rendered now for this viewer, nothing kept. */
  const freshPanel = (viewer: CurrentUser, id: string) => {
    const db = h.runtime.db;
    const story = getStory(db, id)!;
    const heard = lastHeard(db, viewer.employeeId, id);
    return (
      <CirculationPanel
        counters={circulationCounters(db, id)}
        storyId={id}
        heard={heard ? { at: heard.at } : null}
        {...(story.tellerId === viewer.employeeId ? { reach: storyReach(db, id) } : {})}
      />
    );
  };

  /** The page rendered whole for this viewer (as renderStoryPage did before parts were kept). */
  const whole = async (viewer: CurrentUser, id: string, opts: { thanks?: boolean; themeNotice?: string } = {}) => {
    const db = h.runtime.db;
    const story = getStory(db, id)!;
    const original = story.retellingOf ? getStory(db, story.retellingOf) : undefined;
    // the teller's receipt (issue 13) is a personal part too: theirs alone
    const receipt = await tellersReceipt(h, viewer, story);
    return html(
      <StoryPage
        story={story}
        viewer={viewer}
        history={storyHistory(db, id)}
        retellings={retellingsOf(db, id)}
        retells={original && (!original.retracted || isCurator(viewer)) ? original : null}
        themes={listThemes(db)}
        // rendered here from the read models as they are, never the panel the app keeps (src/http/story-page.tsx's panelFor)
        circulation={freshPanel(viewer, id)}
        notice={undefined}
        themeNotice={opts.themeNotice}
        thanks={opts.thanks === true}
        tellings={storyFamily(db, id).filter((s) => seesTelling(s, viewer)).length}
        receipt={receipt ? <StoryReceipt receipt={receipt} /> : undefined}
      />,
    );
  };

  const cases: [string, () => Person, () => string, string, { thanks?: boolean; themeNotice?: string }][] = [
    ['another employee who heard it', () => other, () => storyId, '', {}],
    ['its teller, just after telling it (thanks, reach)', () => teller, () => storyId, '?told=1', { thanks: true }],
    ['a curator, after adding a theme (notice beside the editor)', () => curator, () => storyId, '?themed=added&theme=care', { themeNotice: 'Added the theme “Care <i>”.' }],
    ['the anonymous teller of a retelling, on the story it retells', () => hidden, () => storyId, '', {}],
    ['another anonymous reteller, on the story it retells', () => reteller, () => storyId, '', {}],
    ['another employee, on an anonymous story', () => other, () => anonymousId, '', {}],
    ['the anonymous teller, on their own story', () => hidden, () => anonymousId, '', {}],
    ['a curator, on an anonymous story', () => curator, () => anonymousId, '', {}],
    ['its teller again, without thanks', () => teller, () => storyId, '', {}],
    ['another employee again, after everyone', () => other, () => storyId, '', {}],
  ];

  for (const [who, p, id, query, opts] of cases) {
    it(`is the whole page for ${who}`, async () => {
      const expected = await whole(viewerOf(p()), id(), opts);
      const res = await get(h.app, `/stories/${id()}${query}`, p().cookie);
      expect(res.status).toBe(200);
      const body = await res.text();
      // the reads the page queued are appended only now, after the expected page was rendered
      await flushReads(h);
      expect(body).toContain(expected);
      expect(body).not.toContain('<b>"O');
    });
  }

  it('keeps no stale circulation panel: after another reader, the same viewer sees the counters moved', async () => {
    const page = async () => {
      const text = await (await get(h.app, `/stories/${storyId}`, other.cookie)).text();
      await flushReads(h);
      return text;
    };
    const before = await page();
    expect(before).toContain(await html(freshPanel(viewerOf(other), storyId)));
    const newcomer = await person(h, 'Nora Newcomer');
    await givenRead(h, storyId, newcomer.employeeId);
    const moved = await html(freshPanel(viewerOf(other), storyId));
    // the read did move the counters, and the page shows them
    expect(before).not.toContain(moved);
    expect(await page()).toContain(moved);
  });

  it('shows the teller, and no one else, how far their story went; and each reader only their own heard state', async () => {
    const body = async (p: Person) => {
      const text = await (await get(h.app, `/stories/${storyId}`, p.cookie)).text();
      await flushReads(h);
      return text;
    };
    const forTeller = await whole(viewerOf(teller), storyId);
    const forOther = await whole(viewerOf(other), storyId);
    // the two pages differ in their personal parts: the composed pages must keep them apart
    expect(forTeller).not.toBe(forOther);
    expect(await body(teller)).toContain(forTeller);
    expect(await body(other)).toContain(forOther);
  });
});

describe('home: the kept recent stories and the personal parts make the same page as a whole render', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Person, curator: Person, old: Person, hireReading: Person, hireFresh: Person, sender: Person;

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    await givenTheme(h, 'care', 'Care');
    await givenTheme(h, 'craft', 'Craft');
    teller = await person(h, 'Quinn <b>Quiet</b>');
    curator = await person(h, 'Cora Curator', { roles: ['curator'] });
    old = await person(h, 'Olga Oldtimer');
    sender = await person(h, 'Sid <i>Sender</i>');
    hireReading = await person(h, `Nia <b>"New"</b> & Co`, { joinedOn: '2026-02-20' });
    hireFresh = await person(h, 'Ned Fresh', { joinedOn: '2026-02-25' });
    const care = await givenStory(h, { tellerId: old.employeeId, title: 'Care <u>first</u>', themes: ['care'] });
    await givenStory(h, { tellerId: teller.employeeId, title: 'Told quietly', themes: ['craft'], anonymous: true });
    await givenStory(h, { tellerId: sender.employeeId, title: 'Plain one' });
    await givenRead(h, care, hireReading.employeeId);
    const r = await h.store.append(`circulation-${care}`, [
      { id: randomUUID(), type: 'StoryShared', data: { storyId: care, fromId: sender.employeeId, toId: hireFresh.employeeId }, metadata: { at: now.toISOString(), actor: sender.employeeId } },
    ]);
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  const whole = async (viewer: CurrentUser) => {
    const db = h.runtime.db;
    return html(
      <HomePage
        viewer={viewer}
        newHire={isNewHire(viewer.joinedOn, now)}
        path={startHerePath(db, viewer.employeeId)}
        recent={recentStories(db, 5)}
        sharedWithMe={<SharedWithMe items={unreadSentTo(db, viewer.employeeId)} />}
      />,
    );
  };

  const cases: [string, () => Person][] = [
    ['an employee who has been here for years', () => old],
    ['a new hire with progress on Start here', () => hireReading],
    ['a new hire with a story sent to them and no progress', () => hireFresh],
    ['the anonymous teller of a recent story', () => teller],
    ['a curator', () => curator],
    ['the first new hire again, after everyone', () => hireReading],
    ['the sender', () => sender],
  ];
  for (const [who, p] of cases) {
    it(`is the whole page for ${who}`, async () => {
      const expected = await whole(viewerOf(p()));
      const res = await get(h.app, '/', p().cookie);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(expected);
    });
  }

  it('differs between the two new hires only where it should: name, progress and what was sent', async () => {
    const a = await whole(viewerOf(hireReading));
    const b = await whole(viewerOf(hireFresh));
    expect(a).toContain('1 of 2 read');
    expect(b).toContain('0 of 2 read');
    // only the second was sent a story; the sender's name is escaped there as everywhere
    expect(b).toContain('shared-with-me');
    expect(a).not.toContain('shared-with-me');
    expect(b.split('Sid &lt;i&gt;Sender&lt;/i&gt;').length).toBeGreaterThan(a.split('Sid &lt;i&gt;Sender&lt;/i&gt;').length);
    expect(a).toContain('Welcome, Nia &lt;b&gt;&quot;New&quot;&lt;/b&gt; &amp; Co');
  });
});

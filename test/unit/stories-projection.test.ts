import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, testHallway } from '../helpers.ts';
import { givenEmployee } from '../auth-helpers.ts';
import { givenRead, givenStory, givenTheme } from '../http/stories-given.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import type { Views } from '../../src/projections/runtime.ts';
import { orgProjection } from '../../src/projections/org.ts';
import { storiesProjection } from '../../src/projections/stories.ts';
import { getStory, storyHistory } from '../../src/read/stories.ts';

const TABLES = ['story_stories', 'story_themes', 'story_history', 'story_exposed', 'theme_themes', 'story_start_here'];
const dump = (db: Views) => Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));

describe('the stories read model', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const at = (ctx: typeof h, actor: string) => ({ at: ctx.clock().toISOString(), actor });
  let storyId = '';
  let people: { employeeId: string }[] = [];

  beforeAll(async () => {
    h = await testHallway();
    const teller = await givenEmployee(h, { name: 'Tess' });
    people = [await givenEmployee(h, { name: 'A' }), await givenEmployee(h, { name: 'B' }), await givenEmployee(h, { name: 'C' })];
    await givenTheme(h, 'vision', 'Vision');
    storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'One', body: 'First.', themes: ['vision'] });
    const [a, b, c] = people as [{ employeeId: string }, { employeeId: string }, { employeeId: string }];
    await givenRead(h, storyId, a.employeeId);
    await givenRead(h, storyId, a.employeeId); // a touch: counted once
    await givenRead(h, storyId, teller.employeeId); // the teller is not exposed to their own story
    const circ = await h.store.append(`circulation-${storyId}`, [
      { id: h.newId(), type: 'StoryHeard', data: { storyId, listenerId: b.employeeId, fromId: c.employeeId, setting: 'meeting' }, metadata: at(h, b.employeeId) },
    ]);
    await h.runtime.waitFor(circ.position);
    await givenStory(h, { tellerId: c.employeeId, title: 'Retold', retellingOf: storyId });
    const r = await h.store.append(`story-${storyId}`, [
      { id: h.newId(), type: 'StoryAmended', data: { storyId, body: 'Second.', reason: 'more' }, metadata: at(h, teller.employeeId) },
      { id: h.newId(), type: 'StoryAmended', data: { storyId, title: 'Uno', reason: 'name' }, metadata: at(h, teller.employeeId) },
      { id: h.newId(), type: 'StoryUnthemed', data: { storyId, themeId: 'vision' }, metadata: at(h, 'system') },
    ]);
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  it('counts distinct people exposed (readers, listeners, sources, retellers), never the teller', () => {
    // a (read twice), b (heard), c (the source, and a reteller): three people
    expect(getStory(h.runtime.db, storyId)!.exposure).toBe(3);
  });

  it('keeps every amendment with the text it replaced, and the stream revision', () => {
    const story = getStory(h.runtime.db, storyId)!;
    expect({ title: story.title, body: story.body, revision: story.revision, themes: story.themes }).toEqual({ title: 'Uno', body: 'Second.', revision: 3, themes: [] });
    const history = storyHistory(h.runtime.db, storyId);
    expect(history.map((e) => e.type)).toEqual(['StorySubmitted', 'StoryAmended', 'StoryAmended', 'StoryUnthemed']);
    expect(history[1]).toMatchObject({ reason: 'more', bodyBefore: 'First.', bodyAfter: 'Second.', titleBefore: null });
    expect(history[2]).toMatchObject({ reason: 'name', titleBefore: 'One', titleAfter: 'Uno', bodyBefore: null });
  });

  it('rebuilds from the log to the same tables', async () => {
    const tmp = tempDir();
    try {
      const views = openViews(join(tmp.dir, 'views.db'));
      const rt = await startProjections({ store: h.store, views, projections: [orgProjection, storiesProjection], log: () => {} });
      await rt.caughtUp;
      expect(dump(views)).toEqual(dump(h.runtime.db));
      await rt.close();
      views.close();
    } finally {
      tmp.remove();
    }
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvent, parseMetadata, upcast } from '../../events/catalogue.ts';
import { importLines } from '../../src/importer.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import type { ProjectedEvent } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { EventStore } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';

const at = '2024-03-05T14:02:11.000Z';
const org = [
  { id: 'org-1', type: 'DepartmentOpened', data: { departmentId: 'd-1', name: 'Engineering' }, metadata: { at } },
  { id: 'org-2', type: 'EmployeeJoined', data: { employeeId: 'emp-1', name: 'Ada', departmentId: 'd-1', joinedOn: '2020-01-01' }, metadata: { at } },
  { id: 'org-3', type: 'ThemeDefined', data: { themeId: 'candour', name: 'Candour', description: '' }, metadata: { at } },
];
/** the pilot's shape: `teller` and one optional `theme`, no `anonymous` */
const v1Data = { storyId: 's-1', title: 'The offsite', body: 'She said no.', teller: 'emp-1', leader: 'Grace', occurredOn: '2019-05', theme: 'candour', relation: 'witnessed' };

describe('StorySubmitted versions', () => {
  it('lifts a version 1 shape to version 2', () => {
    const r = parseEvent('StorySubmitted', v1Data, 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stream).toBe('story-s-1');
    expect(r.event.data).toEqual({
      storyId: 's-1', title: 'The offsite', body: 'She said no.', tellerId: 'emp-1', leader: 'Grace', occurredOn: '2019-05',
      themes: ['candour'], relation: 'witnessed', anonymous: false,
    });
    expect(upcast('StorySubmitted', { ...v1Data, theme: undefined }, 1)).toMatchObject({ themes: [], tellerId: 'emp-1' });
    // version 2 data is taken as it is
    expect(parseEvent('StorySubmitted', v1Data, 2).ok).toBe(false);
  });

  describe('import of a v1 line', () => {
    let tmp: ReturnType<typeof tempDir>;
    let store: EventStore;
    beforeEach(() => {
      tmp = tempDir('hallway-catalogue-');
      store = openEmbeddedStore(join(tmp.dir, 'events.db'));
    });
    afterEach(async () => {
      await store.close();
      tmp.remove();
    });

    for (const [label, metadata] of [
      ['metadata.v absent', { at }],
      ['metadata.v = 1', { at, v: 1 }],
    ] as const) {
      it(`imports (${label}) and projects as version 2`, async () => {
        const lines = [...org, { id: 'story-1', type: 'StorySubmitted', data: v1Data, metadata }].map((l) => JSON.stringify(l));
        const report = await importLines(store, lines);
        expect(report.appended).toBe(4);
        // the log keeps what was given; the upcaster runs on the way out
        const [stored] = await store.readStream('story-s-1');
        expect(stored!.data).toEqual(v1Data);

        const seen: ProjectedEvent[] = [];
        const views = openViews(join(tmp.dir, 'views.db'));
        const rt = await startProjections({
          store,
          views,
          log: () => {},
          projections: [{ name: 'capture', version: 1, setup() {}, reset() {}, apply: (_db, e) => void seen.push(e) }],
        });
        await rt.caughtUp;
        await rt.close();
        views.close();
        const story = seen.find((e) => e.type === 'StorySubmitted');
        expect(story?.data).toMatchObject({ tellerId: 'emp-1', themes: ['candour'], anonymous: false });
        expect(story?.data).not.toHaveProperty('teller');
      });
    }

    it('refuses a v1 line whose theme is not defined, with its line number', async () => {
      const lines = [org[0], org[1], { type: 'StorySubmitted', data: v1Data, metadata: { at } }].map((l) => JSON.stringify(l));
      await expect(importLines(store, lines)).rejects.toThrow('line 3: StorySubmitted: theme candour is not defined');
      expect(await store.headPosition()).toBe(0);
    });
  });
});

describe('parseEvent rejects bad data with field paths', () => {
  const paths = (r: ReturnType<typeof parseEvent>) => (r.ok ? [] : r.issues.map((i) => i.path));

  it('names each bad field of a StorySubmitted', () => {
    const r = parseEvent('StorySubmitted', {
      storyId: 'has space', title: '   ', body: 'x', tellerId: 'emp-1', leader: 'L', occurredOn: '2024-13',
      themes: ['a', 'a'], relation: 'rumour', anonymous: 'no',
    }, 2);
    expect(r.ok).toBe(false);
    expect(paths(r).sort()).toEqual(['anonymous', 'occurredOn', 'relation', 'storyId', 'themes', 'title']);
    if (!r.ok) expect(r.error).toMatch(/^StorySubmitted: /);
  });

  it('names nested and refined paths, unknown types and bad metadata', () => {
    expect(paths(parseEvent('EmployeeJoined', { employeeId: 'e', name: 'N', departmentId: 'd', joinedOn: '2024-02-30', email: 'nope' }))).toEqual(['email', 'joinedOn']);
    expect(paths(parseEvent('StorySubmitted', { ...v1Data, tellerId: 'emp-1', themes: ['ok', 'not ok'], anonymous: false }, 2))).toEqual(['themes.1']);
    expect(paths(parseEvent('StoryHeard', { storyId: 's', listenerId: 'e', fromId: 'e', setting: 'meeting' }))).toEqual(['fromId']);
    expect(paths(parseEvent('NoSuchEvent', {}))).toEqual(['type']);
    const m = parseMetadata({ actor: 'x' });
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.error).toMatch(/^metadata: at /);
    expect(parseMetadata({ at, v: 0 }).ok).toBe(false);
  });
});

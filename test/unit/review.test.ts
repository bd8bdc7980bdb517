import { describe, expect, it } from 'vitest';
import { decideStory, evolveStory, initialStoryState } from '../../src/domain/stories.ts';
import type { StoryEvent, StoryState } from '../../src/domain/stories.ts';
import { settingsDecider } from '../../src/domain/settings.ts';
import { parseEvent } from '../../events/catalogue.ts';

const curator = { employeeId: 'c1', curator: true };
const teller = { employeeId: 't1', curator: false };

const fold = (events: StoryEvent[]): StoryState => events.reduce(evolveStory, initialStoryState());
const told: StoryEvent = {
  type: 'StorySubmitted',
  data: { storyId: 's1', title: 'T', body: 'B', tellerId: 't1', leader: 'L', occurredOn: '2020', themes: [], relation: 'witnessed', anonymous: false },
};

describe('review before publishing: the deciders', () => {
  it('approves a story awaiting review, only as a curator, once', () => {
    const s = fold([told]);
    expect(decideStory({ type: 'ApproveStory', storyId: 's1', actor: curator, awaiting: true }, s)).toEqual([{ type: 'StoryApproved', data: { storyId: 's1' } }]);
    expect(decideStory({ type: 'ApproveStory', storyId: 's1', actor: teller, awaiting: true }, s)).toMatchObject({ kind: 'forbidden' });
    expect(decideStory({ type: 'ApproveStory', storyId: 's1', actor: curator, awaiting: false }, s)).toMatchObject({ kind: 'conflict', error: 'not-awaiting' });
    const approved = fold([told, { type: 'StoryApproved', data: { storyId: 's1' } }]);
    expect(decideStory({ type: 'ApproveStory', storyId: 's1', actor: curator, awaiting: true }, approved)).toMatchObject({ kind: 'conflict' });
    expect(decideStory({ type: 'ApproveStory', storyId: 'x', actor: curator, awaiting: true }, initialStoryState())).toMatchObject({ kind: 'not-found' });
  });

  it('returns with a note (required); not again until the teller amends it', () => {
    const s = fold([told]);
    expect(decideStory({ type: 'ReturnStory', storyId: 's1', actor: curator, awaiting: true, note: '  more detail ' }, s)).toEqual([
      { type: 'StoryReturned', data: { storyId: 's1', note: 'more detail' } },
    ]);
    expect(decideStory({ type: 'ReturnStory', storyId: 's1', actor: curator, awaiting: true, note: ' ' }, s)).toMatchObject({ kind: 'invalid', field: 'note' });
    const returned = fold([told, { type: 'StoryReturned', data: { storyId: 's1', note: 'n' } }]);
    expect(returned.returned).toBe(true);
    expect(decideStory({ type: 'ReturnStory', storyId: 's1', actor: curator, awaiting: true, note: 'again' }, returned)).toMatchObject({ kind: 'conflict', error: 'already-returned' });
    const amended = evolveStory(returned, { type: 'StoryAmended', data: { storyId: 's1', body: 'B2', reason: 'r' } });
    expect(amended.returned).toBe(false);
    expect(decideStory({ type: 'ReturnStory', storyId: 's1', actor: curator, awaiting: true, note: 'again' }, amended)).toHaveLength(1);
    const retracted = evolveStory(s, { type: 'StoryRetracted', data: { storyId: 's1', reason: 'r' } });
    expect(decideStory({ type: 'ApproveStory', storyId: 's1', actor: curator, awaiting: true }, retracted)).toMatchObject({ error: 'retracted' });
  });

  it('the setting: off by default; changing it to what it is decides nothing', () => {
    const off = settingsDecider.initialState();
    expect(off.reviewBeforePublishing).toBe(false);
    expect(settingsDecider.decide({ type: 'ChangeSettings', reviewBeforePublishing: false }, off)).toEqual([]);
    const events = settingsDecider.decide({ type: 'ChangeSettings', reviewBeforePublishing: true }, off);
    expect(events).toEqual([{ type: 'ArchiveSettingsChanged', data: { reviewBeforePublishing: true } }]);
    const on = settingsDecider.evolve(off, (events as [never])[0]);
    expect(settingsDecider.decide({ type: 'ChangeSettings', reviewBeforePublishing: true }, on)).toEqual([]);
  });

  it('the catalogue: the three events validate as import does, with their streams', () => {
    expect(parseEvent('ArchiveSettingsChanged', { reviewBeforePublishing: true })).toMatchObject({ ok: true, stream: 'archive-settings' });
    expect(parseEvent('StoryApproved', { storyId: 's1' })).toMatchObject({ ok: true, stream: 'story-s1' });
    expect(parseEvent('StoryReturned', { storyId: 's1', note: 'why' })).toMatchObject({ ok: true, stream: 'story-s1' });
    expect(parseEvent('StoryReturned', { storyId: 's1', note: '' })).toMatchObject({ ok: false });
    expect(parseEvent('ArchiveSettingsChanged', { reviewBeforePublishing: 'yes' })).toMatchObject({ ok: false });
  });
});

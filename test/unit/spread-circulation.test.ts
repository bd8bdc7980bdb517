import { describe, expect, it } from 'vitest';
import { circulationDecider } from '../../src/domain/circulation.ts';
import type { CirculationCommand, CirculationFacts } from '../../src/domain/circulation.ts';
import { apiTokenDecider } from '../../src/domain/api-tokens.ts';
import { coverageCurve, cascadeTree } from '../../views/charts/spread-charts.ts';
import { flowHeatmap } from '../../views/fragments/flow-heatmap.ts';

const facts = (standing: CirculationFacts['standing'], tellerId: string | null = 'teller'): CirculationFacts => ({ tellerId, standing });
const decide = (c: CirculationCommand) => circulationDecider.decide(c, circulationDecider.initialState());

describe('the circulation decider (given the facts, when a command, then events or a refusal)', () => {
  it('records a read by a current employee', () => {
    expect(decide({ type: 'RecordRead', data: { storyId: 's', readerId: 'a' }, facts: facts({ a: 'active' }) })).toEqual([{ type: 'StoryRead', data: { storyId: 's', readerId: 'a' } }]);
  });
  it('records nothing when the teller reads their own story', () => {
    expect(decide({ type: 'RecordRead', data: { storyId: 's', readerId: 'teller' }, facts: facts({ teller: 'active' }) })).toEqual([]);
  });
  it('refuses an exposure of an unknown story', () => {
    expect(decide({ type: 'RecordRead', data: { storyId: 's', readerId: 'a' }, facts: facts({ a: 'active' }, null) })).toMatchObject({ error: 'unknown-story', kind: 'not-found' });
  });
  it('refuses X = Y', () => {
    expect(decide({ type: 'RecordShare', data: { storyId: 's', fromId: 'a', toId: 'a' }, facts: facts({ a: 'active' }) })).toMatchObject({ error: 'self', field: 'toId' });
    expect(decide({ type: 'RecordHeard', data: { storyId: 's', listenerId: 'a', fromId: 'a', setting: 'other' }, facts: facts({ a: 'active' }), day: '2026-03-02' })).toMatchObject({ error: 'self', field: 'fromId' });
  });
  it('refuses someone who has not joined, or has left, naming the field', () => {
    expect(decide({ type: 'RecordShare', data: { storyId: 's', fromId: 'a', toId: 'b' }, facts: facts({ a: 'active', b: 'unknown' }) })).toMatchObject({ error: 'unknown-person', field: 'toId' });
    expect(decide({ type: 'RecordHeard', data: { storyId: 's', listenerId: 'a', fromId: 'b', setting: 'meeting' }, facts: facts({ a: 'active', b: 'left' }), day: '2026-03-02' })).toMatchObject({ error: 'person-left', field: 'fromId' });
    expect(decide({ type: 'RecordRead', data: { storyId: 's', readerId: 'a' }, facts: facts({}) })).toMatchObject({ error: 'unknown-person', field: 'readerId' });
  });
  it('records "heard" once per listener, story and UTC day: the same day again records nothing, the next day records', () => {
    const data = { storyId: 's', listenerId: 'a', setting: 'meeting' as const };
    const heardToday = { ...facts({ a: 'active' }), lastHeardDay: '2026-03-02' };
    expect(decide({ type: 'RecordHeard', data, facts: heardToday, day: '2026-03-02' })).toEqual([]);
    expect(decide({ type: 'RecordHeard', data, facts: heardToday, day: '2026-03-03' })).toEqual([{ type: 'StoryHeard', data }]);
    expect(decide({ type: 'RecordHeard', data, facts: { ...facts({ a: 'active' }), lastHeardDay: null }, day: '2026-03-02' })).toEqual([{ type: 'StoryHeard', data }]);
  });
  it('records heard without a source, and a share between two current employees', () => {
    expect(decide({ type: 'RecordHeard', data: { storyId: 's', listenerId: 'a', setting: 'onboarding' }, facts: facts({ a: 'active' }), day: '2026-03-02' })).toEqual([{ type: 'StoryHeard', data: { storyId: 's', listenerId: 'a', setting: 'onboarding' } }]);
    expect(decide({ type: 'RecordShare', data: { storyId: 's', fromId: 'a', toId: 'b' }, facts: facts({ a: 'active', b: 'active' }) })).toEqual([{ type: 'StoryShared', data: { storyId: 's', fromId: 'a', toId: 'b' } }]);
  });
});

describe('the API token decider', () => {
  const issued = apiTokenDecider.evolve(apiTokenDecider.initialState(), { type: 'ApiTokenIssued', data: { tokenId: 't', employeeId: 'l', secretHash: 'a'.repeat(64), label: 'x' } });
  it('issues only for an active leader, once', () => {
    const data = { tokenId: 't', employeeId: 'l', secretHash: 'a'.repeat(64), label: 'x' };
    expect(apiTokenDecider.decide({ type: 'IssueApiToken', data, holderIsActiveLeader: false }, apiTokenDecider.initialState())).toMatchObject({ error: 'not-a-leader', field: 'employeeId' });
    expect(apiTokenDecider.decide({ type: 'IssueApiToken', data, holderIsActiveLeader: true }, apiTokenDecider.initialState())).toEqual([{ type: 'ApiTokenIssued', data }]);
    expect(apiTokenDecider.decide({ type: 'IssueApiToken', data, holderIsActiveLeader: true }, issued)).toMatchObject({ kind: 'conflict' });
  });
  it('revokes once; revoking again is a no-op; an unknown token is not found', () => {
    expect(apiTokenDecider.decide({ type: 'RevokeApiToken', data: { tokenId: 't' } }, issued)).toEqual([{ type: 'ApiTokenRevoked', data: { tokenId: 't' } }]);
    const revoked = apiTokenDecider.evolve(issued, { type: 'ApiTokenRevoked', data: { tokenId: 't' } });
    expect(apiTokenDecider.decide({ type: 'RevokeApiToken', data: { tokenId: 't' } }, revoked)).toEqual([]);
    expect(apiTokenDecider.decide({ type: 'RevokeApiToken', data: { tokenId: 't' } }, apiTokenDecider.initialState())).toMatchObject({ kind: 'not-found' });
  });
});

describe('the spread charts', () => {
  const evil = '</title><script>alert(1)</script><b onload="x">';
  it('escape department names typed by admins, in the flow matrix, the tree and the curves', () => {
    const svgs = [
      flowHeatmap([{ from: evil, to: 'Ops', count: 3 }], [evil, 'Ops']),
      cascadeTree([{ personId: 'p', parentId: null, depth: 0, departmentId: 'd', parentDepartmentId: null, atMs: 0 }, { personId: 'q', parentId: 'p', depth: 1, departmentId: 'e', parentDepartmentId: 'd', atMs: 1 }], () => evil).svg,
      coverageCurve([{ days: 0, reached: 1 }], evil),
    ];
    for (const svg of svgs) {
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain('<b ');
      expect(svg).toContain('&lt;script&gt;');
      expect(svg).not.toMatch(/<style|style="/);
    }
  });
  it('print every count in the flow matrix, so colour is not the only cue', () => {
    const table = flowHeatmap([{ from: 'A', to: 'B', count: 17 }, { from: 'B', to: 'A', count: 4 }], ['A', 'B']);
    // row A: nothing to A, 17 to B; row B: 4 to A
    expect(table).toContain('<tr><th scope="row">A</th><td></td><td class="q8">17</td></tr>');
    expect(table).toMatch(/<tr><th scope="row">B<\/th><td class="q\d">4<\/td><td><\/td><\/tr>/);
  });
  it('draw a cascade with no names: marks carry departments only', () => {
    const { svg, drawn } = cascadeTree(
      [{ personId: 'emp-secret-1', parentId: null, depth: 0, departmentId: 'd', parentDepartmentId: null, atMs: 0 }, { personId: 'emp-secret-2', parentId: 'emp-secret-1', depth: 1, departmentId: 'd', parentDepartmentId: 'd', atMs: 1 }],
      () => 'Sales',
    );
    expect(drawn).toBe(2);
    expect(svg).not.toContain('emp-secret');
    expect(svg).toContain('<title>Sales</title>');
  });
});

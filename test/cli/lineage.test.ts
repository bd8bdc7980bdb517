import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { eventsFile, loadConfig } from '../../src/config.ts';
import { tempDir } from '../helpers.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/hallway.mjs', import.meta.url));
/** a few real processes on a busy two-core machine (the whole suite runs beside them) */
const CLI_MS = 120_000;

/** `hallway lineage STORY_ID` through the real bin, on a log another process wrote: a tree. */
describe('hallway lineage STORY_ID', () => {
  const tmp = tempDir();
  const env = { ...process.env, HALLWAY_DATA_DIR: tmp.dir };
  beforeAll(async () => {
    const store = openEmbeddedStore(eventsFile(loadConfig({ HALLWAY_DATA_DIR: tmp.dir })));
    let n = 0;
    const put = (stream: string, type: string, data: Record<string, unknown>, at: string) =>
      store.append(stream, [{ id: `ev-${++n}`, type, data, metadata: { at, ...(type === 'StorySubmitted' ? { v: 2 } : {}) } }]);
    await put('department-ops', 'DepartmentOpened', { departmentId: 'ops', name: 'Operations' }, '2024-01-01T00:00:00Z');
    await put('employee-e1', 'EmployeeJoined', { employeeId: 'e1', name: 'One', departmentId: 'ops', joinedOn: '2020-01-01' }, '2024-01-01T00:00:01Z');
    const tell = (id: string, body: string, at: string, retellingOf?: string) =>
      put(`story-${id}`, 'StorySubmitted', {
        storyId: id, title: id, body, tellerId: 'e1', leader: 'L', occurredOn: '2023', themes: [], relation: retellingOf ? 'heard' : 'witnessed',
        anonymous: false, ...(retellingOf ? { retellingOf } : {}),
      }, at);
    // `at` is metadata.at as recorded; told out of tree order: s3 (a retelling of s2) after s4 (a second retelling of s1)
    await tell('s1', 'her personal cell number for six weeks', '2024-02-01T10:00:00Z');
    await tell('s2', 'her own cell number for weeks', '2024-03-01T10:00:00Z', 's1');
    await tell('s4', 'her number', '2024-03-05T10:00:00Z', 's1');
    await tell('s3', 'her own number for weeks at night', '2024-04-01T10:00:00Z', 's2');
    await tell('other', 'unrelated', '2024-04-02T10:00:00Z');
    await store.close();
  });
  afterAll(() => tmp.remove());

  it('prints the family in the order told, the same for any member', async () => {
    const expected = {
      root: 's1',
      tellings: [
        { storyId: 's1', retellingOf: null, depth: 0, at: '2024-02-01T10:00:00Z', similarity: null },
        // 7 words, kept: her cell number for weeks = 5
        { storyId: 's2', retellingOf: 's1', depth: 1, at: '2024-03-01T10:00:00Z', similarity: 0.714 },
        // her number = 2 of 7
        { storyId: 's4', retellingOf: 's1', depth: 1, at: '2024-03-05T10:00:00Z', similarity: 0.286 },
        // against s2 (6 words): her own number for weeks = 5
        { storyId: 's3', retellingOf: 's2', depth: 2, at: '2024-04-01T10:00:00Z', similarity: 0.833 },
      ],
    };
    // each run starts a process (tsx): run them side by side
    const [root, leaf, alone] = await Promise.all(['s1', 's3', 'other'].map((id) => run(process.execPath, [BIN, 'lineage', id], { env })));
    for (const r of [root!, leaf!]) {
      const out = JSON.parse(r.stdout) as typeof expected;
      expect(out).toEqual(expected);
      expect(Object.keys(out.tellings[0]!)).toEqual(['storyId', 'retellingOf', 'depth', 'at', 'similarity']);
    }
    expect((JSON.parse(alone!.stdout) as typeof expected).tellings.map((t) => t.storyId)).toEqual(['other']);
  }, CLI_MS);

  it('fails with a message for a story the archive does not hold, and with usage without an id', async () => {
    const err = await run(process.execPath, [BIN, 'lineage', 'nope'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('no story "nope"');
    const usage = await run(process.execPath, [BIN, 'lineage'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2 });
  }, CLI_MS);
});

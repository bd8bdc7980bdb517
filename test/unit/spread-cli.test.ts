import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { eventsFile, loadConfig } from '../../src/config.ts';
import { tempDir } from '../helpers.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/hallway.mjs', import.meta.url));

describe('hallway spread STORY_ID', () => {
  const tmp = tempDir();
  beforeAll(async () => {
    // a log written by another process (as `hallway import` would), then read by the CLI
    const store = openEmbeddedStore(eventsFile(loadConfig({ HALLWAY_DATA_DIR: tmp.dir })));
    let n = 0;
    const put = (stream: string, type: string, data: Record<string, unknown>, at: string) =>
      store.append(stream, [{ id: `ev-${++n}`, type, data, metadata: { at } }]);
    await put('department-ops', 'DepartmentOpened', { departmentId: 'ops', name: 'Operations' }, '2024-01-01T00:00:00Z');
    await put('department-eng', 'DepartmentOpened', { departmentId: 'eng', name: 'Engineering' }, '2024-01-01T00:00:00Z');
    await put('employee-e1', 'EmployeeJoined', { employeeId: 'e1', name: 'One', departmentId: 'ops', joinedOn: '2020-01-01' }, '2024-01-01T00:00:01Z');
    await put('employee-e2', 'EmployeeJoined', { employeeId: 'e2', name: 'Two', departmentId: 'eng', joinedOn: '2020-01-01' }, '2024-01-01T00:00:02Z');
    await put('story-s1', 'StorySubmitted', { storyId: 's1', title: 'T', body: 'B', tellerId: 'e1', leader: 'L', occurredOn: '2023', themes: [], relation: 'witnessed', anonymous: false }, '2024-02-01T10:00:00Z');
    await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'e1', toId: 'e2' }, '2024-02-01T10:01:30Z');
    await store.close();
  });
  afterAll(() => tmp.remove());

  it('prints the figures as JSON with exactly the field names of SPREAD.md', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'spread', 's1'], { env: { ...process.env, HALLWAY_DATA_DIR: tmp.dir } });
    const f = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(f)).toEqual([
      'size', 'reachedPeople', 'touches', 'depth', 'maxBreadth', 'structuralVirality', 'departmentsReached',
      'departmentCoverage', 'departmentArrivals', 'crossDepartmentEdges', 'eiIndex', 'departmentEntropy', 'flows',
    ]);
    expect(f).toEqual({
      size: 2, reachedPeople: 1, touches: 1, depth: 1, maxBreadth: 1, structuralVirality: 1,
      departmentsReached: 2, departmentCoverage: 1,
      departmentArrivals: [
        { departmentId: 'ops', at: '2024-02-01T10:00:00.000Z', afterSeconds: 0 },
        { departmentId: 'eng', at: '2024-02-01T10:01:30.000Z', afterSeconds: 90 },
      ],
      crossDepartmentEdges: 1, eiIndex: 1, departmentEntropy: 1, flows: [{ from: 'ops', to: 'eng', count: 1 }],
    });
  });

  it('fails with a message for a story the archive does not hold', async () => {
    const err = await run(process.execPath, [BIN, 'spread', 'nope'], { env: { ...process.env, HALLWAY_DATA_DIR: tmp.dir } }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('no story "nope"');
  });
});

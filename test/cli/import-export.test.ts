import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { exportEvents } from '../../src/cli/export.ts';
import { importFile, importLines } from '../../src/importer.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { openStore } from '../../src/store/open.ts';
import { loadConfig } from '../../src/config.ts';
import { generateLog } from '../../bench/generate.ts';
import type { GeneratedLine } from '../../bench/generate.ts';
import { tempDir } from '../helpers.ts';
import { runCli } from './run-cli.ts';

const parse = (jsonl: string) =>
  jsonl
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; type: string; stream: string; revision: number; position: number; data: unknown; metadata: unknown });
/** export of a data directory, in process (the CLI's own export is tested above it) */
async function exportOf(dir: string, includeAuth: boolean): Promise<string> {
  // through the sealing layer, as `hallway export` reads: the export holds readable values
  const store = await openStore(loadConfig({ HALLWAY_DATA_DIR: dir }));
  let out = '';
  try {
    await exportEvents(store, async (c) => void (out += c), { includeAuth });
  } finally {
    await store.close();
  }
  return out;
}
const jsonl = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('hallway import / export', () => {
  const tmp = tempDir('hallway-cli-');
  const source: GeneratedLine[] = [...generateLog(3000, 7)];
  // auth events, which export leaves out unless asked; and a line without an id
  source.push({
    id: 'a0a0a0a0-0000-4000-8000-000000000001',
    type: 'InvitationIssued',
    data: { employeeId: 'emp-1', tokenHash: 'a'.repeat(64), expiresAt: '2030-01-01T00:00:00.000Z' },
    metadata: { at: '2030-01-01T00:00:00.000Z', actor: 'system' },
  });
  const noId = { type: 'DepartmentOpened', data: { departmentId: 'dep-late', name: 'Late' }, metadata: { at: '2030-01-02T00:00:00.000Z' } };
  const file = join(tmp.dir, 'source.jsonl');
  beforeAll(() => writeFileSync(file, jsonl([...source, noId])));
  afterAll(() => tmp.remove());

  it('round-trips export -> import into an empty archive -> export, re-imports as a no-op, and leaves auth streams out by default', async () => {
    const a = join(tmp.dir, 'a');
    const b = join(tmp.dir, 'b');
    const imported = await runCli(['import', '--include-auth', file], a);
    expect(imported.stderr).toContain('imported 3002 events from 3002 lines (0 already in the log)');
    // stderr is a pipe here, not a terminal: no progress lines, only the summary
    expect(imported.stderr).not.toContain('events/s');
    expect(imported.code).toBe(0);

    const first = await runCli(['export', '--include-auth'], a);
    expect(first.code).toBe(0);
    const firstEvents = parse(first.stdout);
    expect(firstEvents).toHaveLength(3002);
    expect(firstEvents.slice(0, 3001).map((e) => e.id)).toEqual(source.map((l) => l.id));
    // the line without an id got a UUID derived from its content
    expect(firstEvents[3001]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(firstEvents[0]!)).toEqual(['id', 'type', 'stream', 'revision', 'position', 'data', 'metadata']);
    expect(firstEvents[0]).toMatchObject({ stream: 'department-dep-eng', revision: 0, position: 1 });

    const exported = join(tmp.dir, 'export.jsonl');
    writeFileSync(exported, first.stdout);
    expect((await runCli(['import', '--include-auth', exported], b)).code).toBe(0);
    const strip = (es: ReturnType<typeof parse>) => es.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }));
    expect(strip(parse(await exportOf(b, true)))).toEqual(strip(firstEvents));

    // importing the same file again appends nothing, also for the line that had no id
    const again = await runCli(['import', '--include-auth', file], a);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('imported 0 events from 3002 lines (3002 already in the log)');
    // the export went into the admins' audit trail after its own output: one DataExported by cli:<os user>
    const afterExport = parse(await exportOf(a, true));
    expect(afterExport).toHaveLength(3003);
    expect(afterExport[3002]).toMatchObject({
      type: 'DataExported',
      data: { what: 'log-export', detail: '3002 events, sign-in streams included' },
      metadata: { actor: expect.stringMatching(/^cli:\S+$/) },
    });
    expect(afterExport[3002]!.stream).toBe(`export-${(afterExport[3002]!.data as { exportId: string }).exportId}`);

    // without --include-auth the credential stream stays out (the recorded export is in)
    const plain = await runCli(['export'], a);
    expect(plain.code).toBe(0);
    expect(parse(plain.stdout)).toHaveLength(3002);
    expect(parse(plain.stdout).some((e) => e.stream.startsWith('credential-'))).toBe(false);
    expect(firstEvents.filter((e) => e.stream === 'credential-emp-1').map((e) => e.type)).toEqual(['InvitationIssued']);
    // five CLI processes (each starts tsx): on a shared 2-core machine that passes 30 s
  }, 120_000);

  it('refuses a file with one invalid line in the middle, naming the line, and appends nothing', async () => {
    const c = join(tmp.dir, 'c');
    const bad = source.slice(0, 3000).map((l) => ({ ...l }));
    // line 1500 shares a story with its own sharer
    bad[1499] = { id: 'bad-1', type: 'StoryShared', data: { storyId: 's-1', fromId: 'emp-3', toId: 'emp-3' }, metadata: { at: '2024-02-01T00:00:00.000Z' } };
    const badFile = join(tmp.dir, 'bad.jsonl');
    writeFileSync(badFile, jsonl(bad));
    const r = await runCli(['import', badFile], c);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 1500: StoryShared: toId one cannot share a story with oneself/);
    expect(r.stderr).toContain('nothing was imported');
    expect(await exportOf(c, true)).toBe('');

    // a referential-integrity failure in the middle, through the function `hallway demo` uses
    bad[1499] = { id: 'bad-2', type: 'StoryRead', data: { storyId: 's-404', readerId: 'emp-3' }, metadata: { at: '2024-02-01T00:00:00.000Z' } };
    writeFileSync(badFile, jsonl(bad));
    const store = openEmbeddedStore(join(c, 'events.db'));
    try {
      await expect(importFile({ store }, badFile)).rejects.toThrow('line 1500: StoryRead: story s-404 does not exist');
      // broken JSON names its line too
      await expect(importLines(store, [JSON.stringify(bad[0]), '{"type": oops'])).rejects.toThrow(/^line 2: not JSON/);
      expect(await store.headPosition()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('answers bad usage with exit code 2', async () => {
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['import'])).toBe(2);
      expect(await main(['import', '--batch-size', '0', 'x.jsonl'])).toBe(2);
      expect(await main(['export', '--everything'])).toBe(2);
      expect(await main(['rebuild', 'now'])).toBe(2);
    } finally {
      quiet.mockRestore();
    }
  });
});

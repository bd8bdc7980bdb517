import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openHallway } from '../../src/services.ts';
import { storyFigures } from '../../src/read/spread.ts';
import { tempDir, testHallway } from '../helpers.ts';
import { randomLog } from '../http/as-of-log.ts';
import { runCli } from './run-cli.ts';

/** `hallway spread STORY_ID --as-of YYYY-MM-DD`, the real bin in a child process. */
describe('hallway spread --as-of', () => {
  const tmp = tempDir();
  const events = randomLog(42);
  const circulated = new Map<string, number>();
  for (const e of events) if (e.stream.startsWith('circulation-')) circulated.set(e.data['storyId'] as string, (circulated.get(e.data['storyId'] as string) ?? 0) + 1);
  // the story with the most circulation, first told in the log
  const storyId = [...circulated.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const told = events.find((e) => e.type === 'StorySubmitted' && e.data['storyId'] === storyId)!;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const date = day(Date.parse(told.metadata.at) + 86_400_000);

  beforeAll(async () => {
    const h = await openHallway(loadConfig({ HALLWAY_DATA_DIR: tmp.dir }), { log: () => {} });
    for (const { stream, ...e } of events) await h.store.append(stream, [e]);
    await h.close();
  }, 60_000);
  afterAll(() => tmp.remove());

  it('prints the figures of the log cut at the end of that day, as a Hallway rebuilt from that cut gives them', async () => {
    const r = await runCli(['spread', storyId, '--as-of', date], tmp.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cutoff = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
    const fresh = await testHallway({ clock: () => new Date(cutoff) });
    try {
      for (const { stream, ...e } of events.filter((x) => Date.parse(x.metadata.at) < cutoff)) await fresh.store.append(stream, [e]);
      await fresh.runtime.waitFor(await fresh.store.headPosition());
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(storyFigures(fresh.runtime.db, storyId))));
    } finally {
      await fresh.dispose();
    }
    // and they are not today's (the story circulated after that day)
    const today = await runCli(['spread', storyId], tmp.dir);
    expect(today.code).toBe(0);
    expect(JSON.parse(today.stdout).touches).toBeGreaterThan(JSON.parse(r.stdout).touches);
    // --as-of=DATE works too
    expect((await runCli(['spread', storyId, `--as-of=${date}`], tmp.dir)).stdout).toBe(r.stdout);
  }, 60_000);

  it('says a story told later was not in the archive then (exit 1)', async () => {
    const r = await runCli(['spread', storyId, '--as-of', day(Date.parse(told.metadata.at) - 3 * 86_400_000)], tmp.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no story .* in the archive as it stood on/);
  }, 60_000);

  it('refuses a bad or future date with a clear message (exit 2) and a missing one with the usage', async () => {
    const bad = await runCli(['spread', storyId, '--as-of', '2021-02-30'], tmp.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a date on the calendar');
    const future = await runCli(['spread', storyId, '--as-of', '2999-01-01'], tmp.dir);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('has not happened yet');
    const missing = await runCli(['spread', storyId, '--as-of'], tmp.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: hallway spread STORY_ID [--as-of YYYY-MM-DD]');
  }, 60_000);
});

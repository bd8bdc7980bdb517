import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.ts';

/** a stand-in for process.stderr: records what is written, with or without a terminal */
const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, s: { isTTY, write: (c: string) => (written.push(c), true) } as unknown as NodeJS.WriteStream };
};

describe('progress on stderr', () => {
  it('shows events/s and how far only when stderr is a terminal', () => {
    const tty = stream(true);
    const bar = progress('import', tty.s, 0);
    bar.update(1000, 4000);
    bar.update(4000, 4000);
    bar.end();
    expect(tty.written[0]).toMatch(/^\rimport: 1,000 \/ 4,000 events, [\d,]+ events\/s/);
    expect(tty.written.at(-2)).toMatch(/4,000 \/ 4,000 events/);
    expect(tty.written.at(-1)).toBe('\n');

    const pipe = stream(false);
    const quiet = progress('import', pipe.s, 0);
    quiet.update(1000, 4000);
    quiet.end();
    expect(pipe.written).toEqual([]);
  });

  it('throttles updates but always shows the last one', () => {
    const tty = stream(true);
    const bar = progress('rebuild', tty.s, 60_000);
    bar.update(1, 10);
    bar.update(2, 10);
    bar.update(10, 10);
    expect(tty.written).toHaveLength(2);
    expect(tty.written[1]).toMatch(/10 \/ 10 events/);
  });
});

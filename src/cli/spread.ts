import { loadConfig } from '../config.ts';
import { parseAsOf } from '../asof/date.ts';
import { AsOfSnapshots } from '../asof/snapshots.ts';
import { storyFiguresAsOf } from '../asof/figures.ts';
import { storyFigures } from '../read/spread.ts';
import { openHallway } from '../services.ts';

const USAGE = 'usage: hallway spread STORY_ID [--as-of YYYY-MM-DD]\n';

/**
 * `hallway spread STORY_ID`: the story's figures as JSON, with exactly SPREAD.md's field names.
 * The projections catch up with the log first, so an import just made is counted.
 * `--as-of YYYY-MM-DD`: the figures as they stood at the end of that UTC day, from the events
 * recorded before the next midnight (src/asof/snapshots.ts), evaluated then.
 */
export async function spreadCommand(args: string[]): Promise<number> {
  const rest = [...args];
  let asOfValue: string | undefined;
  const flag = rest.findIndex((a) => a === '--as-of' || a.startsWith('--as-of='));
  if (flag >= 0) {
    const a = rest[flag]!;
    asOfValue = a.includes('=') ? a.slice('--as-of='.length) : rest[flag + 1];
    rest.splice(flag, a.includes('=') ? 1 : 2);
    if (asOfValue === undefined) {
      process.stderr.write(`hallway spread: --as-of needs a date (YYYY-MM-DD)\n${USAGE}`);
      return 2;
    }
  }
  const storyId = rest[0];
  if (!storyId || rest.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  let asOf;
  if (asOfValue !== undefined) {
    const parsed = parseAsOf(asOfValue, new Date());
    if (!parsed.ok) {
      process.stderr.write(`hallway spread: ${parsed.message}\n`);
      return 2;
    }
    asOf = parsed.asOf;
  }
  const hallway = await openHallway(loadConfig(), { log: (m) => process.stderr.write(`${m}\n`) });
  const snapshots = new AsOfSnapshots(hallway.store, { live: hallway.runtime });
  try {
    // as of a date: from the live spread model cut at the date when the cut is a prefix of the log, else from the date built
    const direct = asOf ? await storyFiguresAsOf(hallway.store, hallway.runtime, asOf, storyId) : undefined;
    const figures = !asOf ? storyFigures(hallway.runtime.db, storyId) : direct !== 'build' ? direct : await snapshots.use(asOf, (s) => storyFigures(s.db, storyId));
    if (!figures) {
      process.stderr.write(`hallway spread: no story ${JSON.stringify(storyId)} in the archive${asOf ? ` as it stood on ${asOf.label}` : ''}\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return 0;
  } finally {
    snapshots.close();
    await hallway.close();
  }
}

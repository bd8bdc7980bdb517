import { loadConfig } from '../config.ts';
import { storyFigures } from '../read/spread.ts';
import { openHallway } from '../services.ts';

/**
 * `hallway spread STORY_ID`: the story's figures as JSON, with exactly SPREAD.md's field names.
 * The projections catch up with the log first, so an import just made is counted.
 */
export async function spreadCommand(args: string[]): Promise<number> {
  const storyId = args[0];
  if (!storyId || args.length > 1) {
    process.stderr.write('usage: hallway spread STORY_ID\n');
    return 2;
  }
  const hallway = await openHallway(loadConfig(), { log: (m) => process.stderr.write(`${m}\n`) });
  try {
    const figures = storyFigures(hallway.runtime.db, storyId);
    if (!figures) {
      process.stderr.write(`hallway spread: no story ${JSON.stringify(storyId)} in the archive\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return 0;
  } finally {
    await hallway.close();
  }
}

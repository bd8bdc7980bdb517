import { loadConfig } from '../config.ts';
import { lineageJson, lineageOf } from '../lineage/lineage.ts';
import { storyFamily } from '../read/stories.ts';
import { openHallway } from '../services.ts';

/**
 * `hallway lineage STORY_ID`: the family of tellings the story belongs to, as JSON
 * `{"root", "tellings": [{"storyId", "retellingOf", "depth", "at", "similarity"}]}` in the order
 * told, for any member of the family. It reads the whole log (retracted tellings and those
 * awaiting review included), as the operator's other commands do; `at` is when each was told.
 */
export async function lineageCommand(args: string[]): Promise<number> {
  const storyId = args[0];
  if (!storyId || args.length > 1) {
    process.stderr.write('usage: hallway lineage STORY_ID\n');
    return 2;
  }
  const hallway = await openHallway(loadConfig(), { log: (m) => process.stderr.write(`${m}\n`) });
  try {
    const lineage = lineageOf(storyFamily(hallway.runtime.db, storyId));
    if (!lineage) {
      process.stderr.write(`hallway lineage: no story ${JSON.stringify(storyId)} in the archive\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(lineageJson(lineage), null, 2)}\n`);
    return 0;
  } finally {
    await hallway.close();
  }
}

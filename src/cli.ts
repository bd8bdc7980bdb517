import { loadConfig } from './config.ts';
import { openHallway } from './services.ts';
import { prepareDashboards } from './http/dashboard.tsx';
import { startServer } from './server.ts';
import { createLogger } from './observability/logger.ts';
import { spreadCommand } from './cli/spread.ts';
import { importCommand } from './cli/import.ts';
import { exportCommand } from './cli/export.ts';
import { rebuildCommand } from './cli/rebuild.ts';
import { openSetup } from './auth/setup.ts';
import { demoCommand } from './cli/demo.ts';
import { adminCommand } from './cli/admin.ts';
import { lineageCommand } from './cli/lineage.ts';
import { verifyCommand } from './cli/verify.ts';
import { backupCommand, restoreCommand } from './cli/backup.ts';
import { keysCommand } from './cli/keys.ts';

const USAGE = `hallway — the archive of the stories employees tell about their leaders

Usage:
  hallway serve                     start the archive (PORT, HALLWAY_DATA_DIR, EVENTSTORE_URL)
  hallway import [--include-auth] FILE
                                    append the events of a JSONL file, all or nothing
  hallway export [--include-auth]   write every event as JSONL to standard output
  hallway rebuild                   rebuild every read model from the log
  hallway spread STORY_ID [--as-of YYYY-MM-DD]
                                    print a story's spread figures as JSON (as they stood on a date)
  hallway lineage STORY_ID          print the family of tellings a story belongs to as JSON
  hallway verify [--json]           recompute the log's hash chain and check its seals: exit 0
                                    with a summary, 1 naming the first position that disagrees
  hallway demo                      load the demo company into an empty archive
  hallway backup DIR                copy the log (and the data directory's secret) into a new directory, while serve runs
  hallway restore DIR               restore such a copy into an empty data directory
  hallway admin SUBCOMMAND …        roles, invitations, sessions and erasure from the shell (hallway admin help)
  hallway keys serve                the key keeper for several processes on EventStoreDB (HALLWAY_KEYS_TOKEN)
`;

type Command = (args: string[]) => Promise<number>;

const serveCommand: Command = async () => {
  const config = loadConfig();
  // JSON lines on standard output (pino): request id, route pattern, status, duration; no text anyone typed
  const logger = createLogger(config.logLevel);
  // listen at once: until the read models have caught up, pages answer 503 and /readyz says so
  // projections in a worker thread: a large import from another process never stalls requests
  // once caught up, the dashboard's windows are worked out before /readyz says ready
  const hallway = await openHallway(config, { waitForCatchUp: false, projectIn: 'worker', logger, metrics: true, sendMail: true, log: (m) => logger.warn(m), prepare: prepareDashboards });
  const { port, stop } = await startServer(hallway);
  logger.info({ port, dataDir: config.dataDir, store: hallway.store.kind }, `Hallway is serving on http://localhost:${port}`);
  // ready: caught up, unfinished erasures finished, the dashboard's windows prepared (pages 200 from here)
  void hallway.runtime.caughtUp.then(() => hallway.whenReady).then(() => {
    logger.info('Hallway has caught up with the log: ready');
    // whether an admin exists is read from the read models, so only once they are current
    const setupLink = openSetup(hallway);
    // the one thing printed outside the JSON log, on standard error: the operator needs this
    // one-time link (it holds a token, valid for an hour), and no log line may hold a token
    if (setupLink) process.stderr.write(`No admin yet. Create the first admin within the hour (this link works once): ${setupLink}\n`);
  });
  const shutdown = async (): Promise<void> => {
    await stop();
    await hallway.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await new Promise(() => {});
  return 0;
};

export const commands: Record<string, Command> = {
  serve: serveCommand,
  spread: spreadCommand,
  import: importCommand,
  export: exportCommand,
  rebuild: rebuildCommand,
  demo: demoCommand,
  admin: adminCommand,
  lineage: lineageCommand,
  verify: verifyCommand,
  backup: backupCommand,
  restore: restoreCommand,
  keys: keysCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`hallway: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (e) {
    process.stderr.write(`hallway ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

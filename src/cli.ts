import type { Command } from './cli/command-type.ts';

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

const serveCommand: Command = async () => {
  const [{ loadConfig }, { openHallway }, { prepareDashboards }, { startServer }, { createLogger }, { openSetup }] = await Promise.all([
    import('./config.ts'),
    import('./services.ts'),
    import('./http/dashboard.tsx'),
    import('./server.ts'),
    import('./observability/logger.ts'),
    import('./auth/setup.ts'),
  ]);
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

/**
 * Each command's module is loaded when it runs: a command that only reads the log does not load
 * the web server, its views and the dashboard (a CLI start through tsx's loader costs a second or
 * more per hundred modules).
 */
export const commands: Record<string, () => Promise<Command>> = {
  serve: async () => serveCommand,
  spread: async () => (await import('./cli/spread.ts')).spreadCommand,
  import: async () => (await import('./cli/import.ts')).importCommand,
  export: async () => (await import('./cli/export.ts')).exportCommand,
  rebuild: async () => (await import('./cli/rebuild.ts')).rebuildCommand,
  demo: async () => (await import('./cli/demo.ts')).demoCommand,
  admin: async () => (await import('./cli/admin.ts')).adminCommand,
  lineage: async () => (await import('./cli/lineage.ts')).lineageCommand,
  verify: async () => (await import('./cli/verify.ts')).verifyCommand,
  backup: async () => (await import('./cli/backup.ts')).backupCommand,
  restore: async () => (await import('./cli/backup.ts')).restoreCommand,
  keys: async () => (await import('./cli/keys.ts')).keysCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`hallway: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    process.stderr.write(`hallway ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

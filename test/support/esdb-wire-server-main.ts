/*
 * Runs the EventStoreDB wire server on its own, for trying Hallway on "EventStoreDB" without Docker:
 *   npx tsx test/support/esdb-wire-server-main.ts [port] [--no-batch-append]
 * prints `ready <connection string>` once it listens, and stops on SIGINT / SIGTERM. The log lives in
 * memory: it is gone when the process ends.
 */
import { EsdbWireServer } from './esdb-wire-server.ts';

const args = process.argv.slice(2);
const port = Number(args.find((a) => /^\d+$/.test(a)) ?? 2113);
const server = await EsdbWireServer.start({ port, batchAppend: !args.includes('--no-batch-append') });
console.log(`ready ${server.url}`);

const shutdown = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

import { fileURLToPath } from 'node:url';
import { DEMO_ACCOUNTS } from '../../events/seed/org.ts';
import { hashPassword } from '../auth/passwords.ts';
import { setPassword } from '../auth/people.ts';
import { generateSecureRandomString } from '../auth/sessions.ts';
import { loadConfig } from '../config.ts';
import { isDomainError } from '../domain/decider.ts';
import { ImportRefused, importFile } from '../importer.ts';
import { openStore } from '../store/open.ts';
import type { EventStore } from '../store/port.ts';
import { randomUUID } from 'node:crypto';
import { progress } from './progress.ts';

export const DEMO_FILE = fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url));

/** A fresh password for a demo account: 120 random bits, in groups of four for reading aloud. */
const demoPassword = (): string => generateSecureRandomString().match(/.{4}/g)!.join('-');

async function emailOf(store: EventStore, employeeId: string): Promise<string> {
  const joined = (await store.readStream(`employee-${employeeId}`)).find((e) => e.type === 'EmployeeJoined');
  const email = (joined?.data as { email?: string } | undefined)?.email;
  if (!email) throw new Error(`the demo file has no email for ${employeeId}`);
  return email;
}

/**
 * `hallway demo`: loads events/seed/demo.jsonl into an empty archive, then gives one account per
 * role a fresh random password and prints `ROLE EMAIL PASSWORD` lines (and nothing else) on
 * standard output; progress goes to standard error.
 */
export async function demoCommand(args: string[]): Promise<number> {
  if (args.length > 0) {
    process.stderr.write('usage: hallway demo\n');
    return 2;
  }
  const config = loadConfig();
  const store = await openStore(config);
  try {
    const head = await store.headPosition();
    if (head > 0) {
      process.stderr.write(
        `hallway demo: the archive in ${config.eventstoreUrl ?? config.dataDir} is not empty, so the demo company was not loaded. ` +
          'Point HALLWAY_DATA_DIR at an empty directory (or use an empty EventStoreDB) and run it again.\n',
      );
      return 1;
    }
    const bar = progress('demo');
    let report;
    try {
      report = await importFile(store, DEMO_FILE, { onProgress: (done, total) => bar.update(done, total) });
    } catch (e) {
      bar.end();
      if (e instanceof ImportRefused) {
        process.stderr.write(`hallway demo: ${DEMO_FILE} ${e.message}\nnothing was imported\n`);
        return 1;
      }
      throw e;
    }
    bar.end();
    process.stderr.write(`loaded ${report.appended} events of the demo company\n`);
    const lines: string[] = [];
    for (const [role, employeeId] of Object.entries(DEMO_ACCOUNTS)) {
      const password = demoPassword();
      const r = await setPassword({ store, clock: () => new Date(), newId: randomUUID }, 'system', employeeId, await hashPassword(password));
      if (isDomainError(r)) throw new Error(r.message);
      lines.push(`${role} ${await emailOf(store, employeeId)} ${password}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await store.close();
  }
}

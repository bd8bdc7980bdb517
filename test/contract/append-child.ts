/**
 * A second process appending to an embedded log (run with `node --import tsx`): opens its own
 * connection to FILE, says "ready", waits for "go" on stdin (so several children start their
 * appends at the same moment), appends, and prints {"ok":true,...} or {"ok":false,"error":...}.
 * Usage: append-child.ts FILE STREAM EXPECTED EVENTS_JSON
 */
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { ConcurrencyError } from '../../src/store/port.ts';
import type { ExpectedRevision, NewEvent } from '../../src/store/port.ts';

const [file, stream, expectedArg, eventsJson] = process.argv.slice(2) as [string, string, string, string];
const expected: ExpectedRevision = /^-?\d+$/.test(expectedArg) ? Number(expectedArg) : (expectedArg as ExpectedRevision);
const events = JSON.parse(eventsJson) as NewEvent[];
const store = openEmbeddedStore(file);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void (async () => {
    try {
      const r = await store.append(stream, events, { expectedRevision: expected });
      process.stdout.write(JSON.stringify({ ok: true, ...r }) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ ok: false, conflict: e instanceof ConcurrencyError, error: String(e) }) + '\n');
    } finally {
      await store.close();
      process.exit(0);
    }
  })();
});

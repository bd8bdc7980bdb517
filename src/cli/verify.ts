import { loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { loadPublicKeys } from '../chain/seal.ts';
import { LogVerifier } from '../chain/verify.ts';
import type { VerifyReport } from '../chain/verify.ts';
import { openRawStore } from '../store/open.ts';
import type { EventStore } from '../store/port.ts';
import { progress } from './progress.ts';

export const VERIFY_USAGE = 'usage: hallway verify [--json]\n';

const PAGE = 5000;

/** Walks the whole log once through the verifier (docs/trust.md "hallway verify"). */
export async function verifyStore(store: EventStore, config: Pick<Config, 'sealKeyFile' | 'sealPublicKey'>, onProgress?: (done: number, head: number) => void): Promise<VerifyReport & { keyIds: string[] }> {
  const publicKeys = loadPublicKeys(config);
  const verifier = new LogVerifier({ contiguousPositions: store.kind === 'embedded', idsUnique: store.uniqueIds, publicKeys });
  const head = onProgress ? await store.headPosition() : 0;
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: PAGE });
    for (const e of page) verifier.push(e);
    if (page.length) {
      after = page[page.length - 1]!.position;
      onProgress?.(after, Math.max(head, after));
    }
    if (page.length < PAGE) break;
  }
  return { ...verifier.finish(), keyIds: [...publicKeys.keys()] };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** `hallway verify [--json]`: exit 0 with a summary, 1 naming the first disagreement, 2 when it cannot check. */
export async function verifyCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  if (args.some((a) => a !== '--json')) {
    process.stderr.write(VERIFY_USAGE);
    return 2;
  }
  const config = loadConfig();
  // the log as stored (ciphertext for sealed fields): what the chain covers
  const store = await openRawStore(config);
  const started = Date.now();
  let report: Awaited<ReturnType<typeof verifyStore>>;
  try {
    const bar = progress('verify');
    report = await verifyStore(store, config, (done, head) => bar.update(done, head));
    bar.end();
  } finally {
    await store.close();
  }
  const seconds = (Date.now() - started) / 1000;
  // seals that no configured key can check: say so instead of calling the log sound
  const cannotCheck = report.seals > 0 && report.keyIds.length === 0;
  const ok = report.problems.length === 0 && !cannotCheck;
  if (json) {
    process.stdout.write(JSON.stringify({ ok, ...report, seconds }) + '\n');
  } else if (ok) {
    const lines = [
      'hallway verify: the log is intact and matches its seals',
      `  events:                ${fmt(report.events)}`,
      `  seals:                 ${fmt(report.seals)}${report.keyIds.length ? ` (checked with key${report.keyIds.length > 1 ? 's' : ''} ${report.keyIds.map((k) => k.slice(0, 16)).join(', ')})` : ''}`,
      `  last sealed position:  ${report.lastSealed ? fmt(report.lastSealed) : 'none (no seal yet)'}`,
      `  not yet sealed:        ${fmt(report.unsealed)} event${report.unsealed === 1 ? '' : 's'} after it`,
      `  chain head:            ${report.head}`,
      ...report.notes.map((n) => `  note: ${n}`),
      `  (${seconds.toFixed(1)} s)`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } else if (cannotCheck && report.problems.length === 0) {
    process.stderr.write(`hallway verify: the log holds ${fmt(report.seals)} seals and no public key is configured to check them: set HALLWAY_SEAL_PUBLIC_KEY (or HALLWAY_SEAL_KEY_FILE with its .pub beside it)\n`);
    return 2;
  } else {
    const first = report.problems[0]!;
    const lines = [
      `hallway verify: the log and its seals disagree, first at position ${first.position}`,
      ...report.problems.slice(0, 20).map((p) => `  ${p.message}`),
      ...(report.problems.length > 20 ? [`  … and ${report.problems.length - 20} more`] : []),
      `  (${fmt(report.events)} events, ${fmt(report.seals)} seals checked in ${seconds.toFixed(1)} s; see docs/trust.md, "What an operator does when verify fails")`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  return ok ? 0 : 1;
}

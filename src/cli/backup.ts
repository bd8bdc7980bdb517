import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { eventsFile, loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import Database from '../store/sqlite-driver.ts';

/**
 * `hallway backup DIR` and `hallway restore DIR` for the embedded store.
 *
 * What is durable in a data directory: events.db (the log) and device-cookie.key (the secret that
 * signs "this browser signed in before" cookies). views.db is left out: it is derived from the log
 * and rebuilt on start. The key store of erasure (keys.db), when there is one, is backed up apart
 * (see docs/trust.md), never by this command.
 *
 * The log is copied with `VACUUM INTO`, which reads one consistent snapshot in a single read
 * transaction: in WAL mode it neither blocks `serve`'s writes nor is disturbed by them. SQLite's
 * page-by-page backup API would start over each time another connection writes, so under a steady
 * write load it might never finish.
 */
export const MANIFEST = 'hallway-backup.json';
const SECRET_FILES = ['device-cookie.key'];

const manifestSchema = z.object({
  format: z.literal(1),
  createdAt: z.string(),
  events: z.number().int().nonnegative(),
  lastPosition: z.number().int().nonnegative(),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const isEmptyDir = (dir: string): boolean => !existsSync(dir) || readdirSync(dir).length === 0;

/** The log's size and head in a SQLite events file, after SQLite's own integrity check. */
function inspect(file: string): { events: number; lastPosition: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`${basename(file)} fails SQLite's integrity check: ${String(check)}`);
    const row = db.prepare<[], { n: number; p: number | null }>('SELECT count(*) AS n, max(position) AS p FROM events').get();
    return { events: row?.n ?? 0, lastPosition: row?.p ?? 0 };
  } finally {
    db.close();
  }
}

export function backup(config: Config, dir: string): BackupManifest {
  const source = eventsFile(config);
  if (!existsSync(source)) throw new Error(`there is no archive in ${config.dataDir} (no events.db)`);
  if (!isEmptyDir(dir)) throw new Error(`${dir} is not empty: back up into a new or empty directory`);
  mkdirSync(dir, { recursive: true });
  try {
    return writeBackup(config, source, dir);
  } catch (e) {
    // a failed backup leaves no half-written copy behind to be mistaken for a good one
    for (const name of ['events.db', ...SECRET_FILES, MANIFEST]) rmSync(join(dir, name), { force: true });
    throw e;
  }
}

function writeBackup(config: Config, source: string, dir: string): BackupManifest {
  const target = join(dir, 'events.db');
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  const { events, lastPosition } = inspect(target);
  const files: Record<string, string> = { 'events.db': sha256(target) };
  for (const name of SECRET_FILES) {
    const from = join(config.dataDir, name);
    if (!existsSync(from)) continue;
    copyFileSync(from, join(dir, name));
    files[name] = sha256(join(dir, name));
  }
  const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), events, lastPosition, files };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return manifest;
}

/** Checks everything before it writes anything; then copies each file under a temporary name and renames it. */
export function restore(config: Config, dir: string): BackupManifest {
  const manifestFile = join(dir, MANIFEST);
  if (!existsSync(manifestFile)) throw new Error(`${dir} holds no Hallway backup (no ${MANIFEST})`);
  let manifest: BackupManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
  } catch (e) {
    throw new Error(`${MANIFEST} is not a Hallway backup manifest: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (!manifest.files['events.db']) throw new Error(`${MANIFEST} lists no events.db`);
  for (const [name, hash] of Object.entries(manifest.files)) {
    if (basename(name) !== name) throw new Error(`${MANIFEST} names a file outside the backup: ${JSON.stringify(name)}`);
    const file = join(dir, name);
    if (!existsSync(file)) throw new Error(`the backup is incomplete: ${name} is missing`);
    if (sha256(file) !== hash) throw new Error(`the backup is damaged: ${name} does not match its checksum`);
  }
  const found = inspect(join(dir, 'events.db'));
  if (found.events !== manifest.events || found.lastPosition !== manifest.lastPosition) {
    throw new Error(`the backup's events.db holds ${found.events} events up to ${found.lastPosition}, not the ${manifest.events} up to ${manifest.lastPosition} its manifest says`);
  }
  const taken = ['events.db', 'views.db', ...SECRET_FILES].filter((f) => existsSync(join(config.dataDir, f)));
  if (taken.length > 0) throw new Error(`${config.dataDir} is not empty (${taken.join(', ')}): restore only into an empty data directory`);
  mkdirSync(config.dataDir, { recursive: true });
  for (const name of Object.keys(manifest.files)) {
    const temp = join(config.dataDir, `${name}.restoring`);
    copyFileSync(join(dir, name), temp);
    renameSync(temp, join(config.dataDir, name));
  }
  return manifest;
}

export async function backupCommand(args: string[]): Promise<number> {
  return withArchive('backup', args, (config, dir) => {
    const m = backup(config, dir);
    process.stdout.write(`backed up ${m.events} events (up to position ${m.lastPosition}) to ${dir}; views.db is not copied (it is rebuilt from the log)\n`);
  });
}

export async function restoreCommand(args: string[]): Promise<number> {
  return withArchive('restore', args, (config, dir) => {
    const m = restore(config, dir);
    process.stdout.write(`restored ${m.events} events (up to position ${m.lastPosition}, backed up ${m.createdAt}) into ${config.dataDir}; hallway serve builds the read models on start\n`);
  });
}

async function withArchive(name: 'backup' | 'restore', args: string[], run: (config: Config, dir: string) => void): Promise<number> {
  const dir = args[0];
  if (!dir || args.length > 1) {
    process.stderr.write(`usage: hallway ${name} DIR\n`);
    return 2;
  }
  const config = loadConfig();
  if (config.eventstoreUrl) {
    process.stderr.write(
      `hallway ${name}: the log is in EventStoreDB, which keeps its own backups (see README, "Backups"); hallway export --include-auth writes a logical copy\n`,
    );
    return 1;
  }
  try {
    run(config, dir);
    return 0;
  } catch (e) {
    process.stderr.write(`hallway ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

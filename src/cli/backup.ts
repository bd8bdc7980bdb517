import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { eventsFile, keysFile, loadConfig, mailFile } from '../config.ts';
import type { Config } from '../config.ts';
import { checkedKeys, checkedLog, checkedSqlite, snapshotInto } from '../store/sqlite-files.ts';

/**
 * `hallway backup DIR` and `hallway restore DIR` for the embedded store.
 *
 * What is durable in a data directory: events.db (the log), device-cookie.key (the secret that
 * signs "this browser signed in before" cookies), mail.db (the email outbox: mail still to send,
 * failed sends, the weeks a digest went out) and keys.db (erasure's key store). views.db is
 * left out: it is derived from the log and rebuilt on start. The key store goes to a directory of
 * its own, DIR.keys beside DIR, because it must be kept apart and for a bounded time: erasure
 * reaches a backup only once the last key-store copy from before it is gone (docs/trust.md).
 * Files are copied with `VACUUM INTO` (src/store/sqlite-files.ts): one consistent snapshot while
 * `serve` writes.
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

/** Where the key store of the backup in `dir` goes: a directory of its own beside it. */
export const keysDirOf = (dir: string): string => `${dir.replace(/[\\/]+$/, '')}.keys`;
const KEYS_MANIFEST = 'hallway-keys-backup.json';

export interface BackupResult {
  manifest: BackupManifest;
  /** where the key store went, or null when there is none here (a key keeper holds it) */
  keysDir: string | null;
}

export function backup(config: Config, dir: string): BackupResult {
  const source = eventsFile(config);
  if (!existsSync(source)) throw new Error(`there is no archive in ${config.dataDir} (no events.db)`);
  if (!isEmptyDir(dir)) throw new Error(`${dir} is not empty: back up into a new or empty directory`);
  const keys = config.keysUrl ? null : keysFile(config);
  const keysDir = keys && existsSync(keys) ? keysDirOf(dir) : null;
  if (keysDir && !isEmptyDir(keysDir)) throw new Error(`${keysDir} (for the key store) is not empty: back up into a new directory`);
  mkdirSync(dir, { recursive: true });
  try {
    const manifest = writeBackup(config, source, dir);
    // after the log: every key the copied log needs is in the key store by then
    if (keys && keysDir) {
      mkdirSync(keysDir, { recursive: true, mode: 0o700 });
      const target = join(keysDir, 'keys.db');
      snapshotInto(keys, target);
      const { keys: count } = checkedKeys(target);
      writeFileSync(join(keysDir, KEYS_MANIFEST), JSON.stringify({ format: 1, createdAt: manifest.createdAt, keys: count, sha256: sha256(target) }, null, 2) + '\n', { mode: 0o600 });
    }
    return { manifest, keysDir };
  } catch (e) {
    // a failed backup leaves no half-written copy behind to be mistaken for a good one
    for (const name of ['events.db', 'mail.db', ...SECRET_FILES, MANIFEST]) rmSync(join(dir, name), { force: true });
    if (keysDir) for (const name of ['keys.db', KEYS_MANIFEST]) rmSync(join(keysDir, name), { force: true });
    throw e;
  }
}

const keysManifestSchema = z.object({ format: z.literal(1), createdAt: z.string(), keys: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** The key store's backup, checked; null when `keysDir` holds none. */
function checkedKeyBackup(keysDir: string): string | null {
  const manifestFile = join(keysDir, KEYS_MANIFEST);
  if (!existsSync(manifestFile)) return null;
  let m: z.infer<typeof keysManifestSchema>;
  try {
    m = keysManifestSchema.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
  } catch {
    throw new Error(`${manifestFile} is not a Hallway key-store backup manifest`);
  }
  const file = join(keysDir, 'keys.db');
  if (!existsSync(file)) throw new Error(`the key-store backup is incomplete: ${file} is missing`);
  if (sha256(file) !== m.sha256) throw new Error(`the key-store backup is damaged: keys.db does not match its checksum`);
  if (checkedKeys(file).keys !== m.keys) throw new Error(`the key-store backup's keys.db does not hold the ${m.keys} keys its manifest says`);
  return file;
}

function writeBackup(config: Config, source: string, dir: string): BackupManifest {
  const target = join(dir, 'events.db');
  snapshotInto(source, target);
  const { events, lastPosition } = checkedLog(target);
  const files: Record<string, string> = { 'events.db': sha256(target) };
  // the email outbox: mail still to send, failed sends an admin must see, the weeks a digest went out
  const outbox = mailFile(config);
  if (existsSync(outbox)) {
    snapshotInto(outbox, join(dir, 'mail.db'));
    checkedSqlite(join(dir, 'mail.db'));
    files['mail.db'] = sha256(join(dir, 'mail.db'));
  }
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
export interface RestoreOptions {
  /** where the key store's backup is (default: DIR.keys beside DIR) */
  keysDir?: string;
  /** restore the log without a key store: every sealed name and story text then reads as erased */
  withoutKeys?: boolean;
}

export function restore(config: Config, dir: string, opts: RestoreOptions = {}): BackupManifest & { keys: boolean } {
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
  if (manifest.files['mail.db']) checkedSqlite(join(dir, 'mail.db'));
  const found = checkedLog(join(dir, 'events.db'));
  if (found.events !== manifest.events || found.lastPosition !== manifest.lastPosition) {
    throw new Error(`the backup's events.db holds ${found.events} events up to ${found.lastPosition}, not the ${manifest.events} up to ${manifest.lastPosition} its manifest says`);
  }
  const keysDir = opts.keysDir ?? keysDirOf(dir);
  const keyFile = config.keysUrl || opts.withoutKeys ? null : checkedKeyBackup(keysDir);
  if (!keyFile && !config.keysUrl && !opts.withoutKeys) {
    throw new Error(
      `there is no key-store backup at ${keysDir}: without it every sealed name and story text would read as erased. ` +
        'Name it with --keys DIR, or restore the log alone with --without-keys',
    );
  }
  const taken = ['events.db', 'views.db', 'keys.db', 'mail.db', ...SECRET_FILES].filter((f) => existsSync(join(config.dataDir, f)));
  if (taken.length > 0) throw new Error(`${config.dataDir} is not empty (${taken.join(', ')}): restore only into an empty data directory`);
  mkdirSync(config.dataDir, { recursive: true });
  for (const name of Object.keys(manifest.files)) {
    const temp = join(config.dataDir, `${name}.restoring`);
    copyFileSync(join(dir, name), temp);
    renameSync(temp, join(config.dataDir, name));
  }
  if (keyFile) {
    const temp = join(config.dataDir, 'keys.db.restoring');
    copyFileSync(keyFile, temp);
    chmodSync(temp, 0o600);
    renameSync(temp, keysFile(config));
  }
  return { ...manifest, keys: !!keyFile };
}

export async function backupCommand(args: string[]): Promise<number> {
  const [dir, ...rest] = args;
  if (!dir || rest.length > 0) return usage('usage: hallway backup DIR');
  return withArchive('backup', (config) => {
    const { manifest: m, keysDir } = backup(config, dir);
    process.stdout.write(`backed up ${m.events} events (up to position ${m.lastPosition}) to ${dir}; views.db is not copied (it is rebuilt from the log)\n`);
    if (keysDir) process.stdout.write(`the key store went to ${keysDir}: keep it apart from the log's backups, encrypted, and for at most 30 days (docs/trust.md)\n`);
    else if (config.keysUrl) process.stdout.write('the key store is the key keeper\'s: back up its volume apart (docs/trust.md)\n');
  });
}

export async function restoreCommand(args: string[]): Promise<number> {
  const dir = args[0];
  const opts: RestoreOptions = {};
  for (let i = 1; i < args.length; i += 1) {
    if (args[i] === '--without-keys') opts.withoutKeys = true;
    else if (args[i] === '--keys' && args[i + 1]) opts.keysDir = args[++i]!;
    else return usage('usage: hallway restore DIR [--keys KEYS_DIR | --without-keys]');
  }
  if (!dir || dir.startsWith('--')) return usage('usage: hallway restore DIR [--keys KEYS_DIR | --without-keys]');
  return withArchive('restore', (config) => {
    const m = restore(config, dir, opts);
    process.stdout.write(`restored ${m.events} events (up to position ${m.lastPosition}, backed up ${m.createdAt}) into ${config.dataDir}${m.keys ? ', with its key store' : ''}; hallway serve builds the read models on start\n`);
  });
}

function usage(text: string): number {
  process.stderr.write(`${text}\n`);
  return 2;
}

async function withArchive(name: 'backup' | 'restore', run: (config: Config) => void): Promise<number> {
  const config = loadConfig();
  if (config.eventstoreUrl) {
    process.stderr.write(
      `hallway ${name}: the log is in EventStoreDB, which keeps its own backups (see README, "Backups"); hallway export --include-auth writes a logical copy\n`,
    );
    return 1;
  }
  try {
    run(config);
    return 0;
  } catch (e) {
    process.stderr.write(`hallway ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

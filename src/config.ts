import { join, relative, resolve, isAbsolute } from 'node:path';

export interface Config {
  port: number;
  dataDir: string;
  eventstoreUrl?: string;
  /** departments with fewer employees are folded together in leadership figures */
  minGroup: number;
  /** public origin, for links printed on the console and for the Origin check */
  publicUrl: string;
  /** the Ed25519 private key that signs seals (HALLWAY_SEAL_KEY_FILE); no sealing without it */
  sealKeyFile?: string;
  /** the public key(s) seals are checked with (HALLWAY_SEAL_PUBLIC_KEY: PEM text or a file) */
  sealPublicKey?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env['PORT']}`);
  const minGroup = Number(env['HALLWAY_MIN_GROUP'] ?? 5);
  if (!Number.isInteger(minGroup) || minGroup < 1) throw new Error(`HALLWAY_MIN_GROUP must be a positive whole number, got ${env['HALLWAY_MIN_GROUP']}`);
  const dataDir = resolve(env['HALLWAY_DATA_DIR'] ?? 'data');
  const sealKeyFile = env['HALLWAY_SEAL_KEY_FILE'] ? resolve(env['HALLWAY_SEAL_KEY_FILE']) : undefined;
  // a copy of the data directory (a backup, a disk) must not carry the key that could re-seal it
  if (sealKeyFile && isInside(dataDir, sealKeyFile)) throw new Error(`HALLWAY_SEAL_KEY_FILE must be outside the data directory (${dataDir}), got ${sealKeyFile}`);
  return {
    port,
    dataDir,
    ...(env['EVENTSTORE_URL'] ? { eventstoreUrl: env['EVENTSTORE_URL'] } : {}),
    minGroup,
    publicUrl: env['HALLWAY_PUBLIC_URL'] ?? `http://localhost:${port}`,
    ...(sealKeyFile ? { sealKeyFile } : {}),
    ...(env['HALLWAY_SEAL_PUBLIC_KEY'] ? { sealPublicKey: env['HALLWAY_SEAL_PUBLIC_KEY'] } : {}),
  };
}

const isInside = (dir: string, file: string): boolean => {
  const r = relative(dir, file);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export const eventsFile = (c: Config): string => join(c.dataDir, 'events.db');
export const viewsFile = (c: Config): string => join(c.dataDir, 'views.db');

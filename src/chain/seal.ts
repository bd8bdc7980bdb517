/**
 * Seals (docs/trust.md "Seals"): an Ed25519 signature over
 *   "hallway-seal-v1" ‖ upToPosition (8 bytes, big-endian) ‖ chainHash (32 bytes)
 * Fixed widths, so the message has one reading. Keys are PEM files: the private key (PKCS#8)
 * where HALLWAY_SEAL_KEY_FILE points, outside the data directory, and its public key (SPKI) in
 * `FILE.pub` or HALLWAY_SEAL_PUBLIC_KEY. `keyId` is the SHA-256 of the public key's DER, so a
 * seal names the key that made it and old seals still verify after a rotation (keep the old
 * public key in the file of public keys).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { nameUuid } from '../ids.ts';

export const SEAL_DOMAIN = 'hallway-seal-v1';

export interface SealData {
  upToPosition: number;
  chainHash: string;
  keyId: string;
  signature: string;
}

export interface SealKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** the signed bytes */
export function sealMessage(upToPosition: number, chainHash: string): Buffer {
  if (!Number.isSafeInteger(upToPosition) || upToPosition < 1) throw new Error(`a seal's position must be a positive whole number, got ${upToPosition}`);
  if (!/^[0-9a-f]{64}$/.test(chainHash)) throw new Error('a chain hash is 64 hex digits');
  const pos = Buffer.alloc(8);
  pos.writeBigUInt64BE(BigInt(upToPosition));
  return Buffer.concat([Buffer.from(SEAL_DOMAIN, 'utf8'), pos, Buffer.from(chainHash, 'hex')]);
}

export const keyIdOf = (publicKey: KeyObject): string => createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

export function makeSeal(key: SealKey, upToPosition: number, chainHash: string): SealData {
  // Ed25519 takes no digest name: null
  const signature = sign(null, sealMessage(upToPosition, chainHash), key.privateKey).toString('base64url');
  return { upToPosition, chainHash, keyId: key.keyId, signature };
}

export type SealCheck = { ok: true } | { ok: false; why: string };

/** Is the seal signed by one of `publicKeys`? (Not whether its chainHash matches the log.) */
export function checkSealSignature(seal: SealData, publicKeys: ReadonlyMap<string, KeyObject>): SealCheck {
  const key = publicKeys.get(seal.keyId);
  if (!key) return { ok: false, why: `signed with key ${seal.keyId.slice(0, 16)}…, which is not a configured seal key` };
  let good = false;
  try {
    good = verify(null, sealMessage(seal.upToPosition, seal.chainHash), key, Buffer.from(seal.signature, 'base64url'));
  } catch {
    good = false;
  }
  return good ? { ok: true } : { ok: false, why: 'its signature does not verify with the configured public key' };
}

/** One seal per position: the same id from every process (the store keeps the first). */
export const sealEventId = (upToPosition: number): string => nameUuid(`hallway-seal:${upToPosition}`);

/** `hallway admin seal-key init FILE`: a new key pair, FILE (0600) and FILE.pub; never overwrites. */
export function createSealKeyFiles(file: string): { keyId: string; publicFile: string } {
  const publicFile = `${file}.pub`;
  for (const f of [file, publicFile]) if (existsSync(f)) throw new Error(`${f} exists already: a seal key is never overwritten`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  return { keyId: keyIdOf(publicKey), publicFile };
}

export function loadSealKey(file: string): SealKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (e) {
    throw new Error(`HALLWAY_SEAL_KEY_FILE ${file}: not a readable private key (${(e as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`HALLWAY_SEAL_KEY_FILE ${file}: an Ed25519 key is needed, this is ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

/** Every public key in a PEM text (several after a rotation), by keyId. */
export function parsePublicKeys(pem: string, where: string): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${where}: an Ed25519 public key is needed, found ${key.asymmetricKeyType}`);
    out.set(keyIdOf(key), key);
  }
  if (out.size === 0) throw new Error(`${where}: no PEM public key in it`);
  return out;
}

export interface SealKeyConfig {
  sealKeyFile?: string;
  sealPublicKey?: string;
}

/**
 * The public keys `verify` and /verify check seals with: HALLWAY_SEAL_PUBLIC_KEY (PEM text, or a
 * file holding one or more PEM keys), else the `.pub` beside HALLWAY_SEAL_KEY_FILE; none when
 * neither is configured.
 */
export function loadPublicKeys(c: SealKeyConfig): Map<string, KeyObject> {
  const configured = c.sealPublicKey?.trim();
  if (configured) {
    if (configured.startsWith('-----BEGIN')) return parsePublicKeys(configured, 'HALLWAY_SEAL_PUBLIC_KEY');
    let text: string;
    try {
      text = readFileSync(configured, 'utf8');
    } catch (e) {
      throw new Error(`HALLWAY_SEAL_PUBLIC_KEY ${configured}: cannot read it (${(e as Error).message})`);
    }
    return parsePublicKeys(text, `HALLWAY_SEAL_PUBLIC_KEY ${configured}`);
  }
  if (c.sealKeyFile) {
    const pub = `${c.sealKeyFile}.pub`;
    if (existsSync(pub)) return parsePublicKeys(readFileSync(pub, 'utf8'), pub);
    return new Map([[loadSealKey(c.sealKeyFile).keyId, loadSealKey(c.sealKeyFile).publicKey]]);
  }
  return new Map();
}

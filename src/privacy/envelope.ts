import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * One AES-256-GCM envelope per event (docs/trust.md, "How an event is stored"): the JSON of the
 * sealed fields, encrypted under the owner's key, authenticated with `id|type|stream` so a
 * ciphertext moved into another event fails to open.
 */
export interface Envelope {
  v: 1;
  /** whose key: an employee id (or `story:{id}` for a pilot story with no teller) */
  key: string;
  /** the names of the sealed fields, so an erased event still knows which markers to show */
  f: string[];
  /** 12 random bytes, base64url */
  iv: string;
  /** ciphertext followed by the 16-byte tag, base64url */
  ct: string;
}

const TAG = 16;
const IV = 12;

/**
 * IVs come from a pool filled by the CSPRNG 4 KB at a time: one randomFillSync per 341 events
 * instead of one per event (a call costs more than the encryption of a short event).
 */
const pool = Buffer.alloc(IV * 341);
let used = pool.length;
function freshIv(): Buffer {
  if (used + IV > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += IV;
  // a copy: the pool is refilled in place
  return Buffer.from(pool.subarray(used - IV, used));
}

export const aadOf = (id: string, type: string, stream: string): Buffer => Buffer.from(`${id}|${type}|${stream}`, 'utf8');

export function sealFields(key: Buffer | KeyObject, owner: string, aad: Buffer, fields: Record<string, unknown>): Envelope {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, key: owner, f: Object.keys(fields), iv: iv.toString('base64url'), ct: ct.toString('base64url') };
}

/** Opens an envelope; throws when the key, the ciphertext or its event's id/type/stream do not match. */
export function openFields(key: Buffer | KeyObject, aad: Buffer, env: Envelope): Record<string, unknown> {
  const raw = Buffer.from(env.ct, 'base64url');
  if (raw.length < TAG) throw new Error('sealed envelope is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(env.iv, 'base64url'));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(raw.length - TAG));
  // GCM's final() authenticates and adds no bytes: no concatenated copy of the plaintext, and no
  // string decoder (update's output encoding makes one per event; a rebuild opens every sealed event)
  const body = decipher.update(raw.subarray(0, raw.length - TAG));
  const tail = decipher.final();
  return JSON.parse((tail.length === 0 ? body : Buffer.concat([body, tail])).toString('utf8')) as Record<string, unknown>;
}

export function isEnvelope(v: unknown): v is Envelope {
  if (v === null || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return e['v'] === 1 && typeof e['key'] === 'string' && Array.isArray(e['f']) && typeof e['iv'] === 'string' && typeof e['ct'] === 'string';
}

/**
 * Name-based ids: the same name always gives the same id, so a retried write names the same
 * stream and the same events (the store then treats it as a no-op). One helper for every place
 * that derives an id: stories, circulation, people, the importer, EventStoreDB's UUID mapping and
 * the demo seed.
 */
import { createHash } from 'node:crypto';

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A version-5-shaped UUID (RFC 9562 layout, SHA-256 instead of SHA-1) derived from `name`. */
export function nameUuid(name: string): string {
  const h = sha256Hex(name);
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

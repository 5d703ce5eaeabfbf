import { createHash } from 'node:crypto';

const JEJAK_NAMESPACE = Buffer.from('6f0c1d6e8b5a4d7f9e2a3b4c5d6e7f80', 'hex');

/**
 * RFC 4122 version-5 UUID of `name`: the same name always gives the same id. Process managers derive the
 * ids of what they create from the event that caused it, so handling an event twice creates nothing twice.
 */
export function deterministicUuid(name: string): string {
  const hash = createHash('sha1').update(JEJAK_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The integrity chain's hashes, in one place, shared by the append path, the chainer, the verifier and the
 * offline bundle check (which must run with no database at all).
 *
 * - content hash: SHA-256 of `id \n type \n canonical(data) \n canonical(metadata)`, computed by the writer;
 * - link hash (per stream): SHA-256 of `previous link of the stream (empty for revision 0) || content hash
 *   || UTF-8(stream \n revision \n recordedAt as ISO 8601 in milliseconds)`, computed by the store in the
 *   append transaction, since only there are the previous link, the revision and the commit time known;
 * - global link (commit order): SHA-256 of `previous global link (empty at the start) || link hash ||
 *   position as 8 bytes big-endian`, computed by the chainer as the log becomes final.
 *
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, strings and numbers as
 * JSON.stringify writes them. PostgreSQL's jsonb keeps the numbers' digits, so a stored event read back
 * and canonicalised again gives the same bytes.
 */
import { createHash } from 'node:crypto';
import type { EventMetadata, JsonValue } from './types';

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, JsonValue>)[k]!)}`).join(',')}}`;
}

export function contentHash(event: { readonly id: string; readonly type: string; readonly data: JsonValue; readonly metadata: JsonValue | EventMetadata }): Buffer {
  const metadata = canonicalJson(event.metadata as JsonValue);
  return createHash('sha256').update(`${event.id.toLowerCase()}\n${event.type}\n${canonicalJson(event.data)}\n${metadata}`).digest();
}

/** The instant as the link hash spells it: ISO 8601, UTC, milliseconds (the store keeps no finer). */
export const hashInstant = (at: Date): string => at.toISOString();

export function linkHash(previous: Buffer | null, content: Buffer, streamId: string, revision: bigint, recordedAt: Date): Buffer {
  return createHash('sha256')
    .update(previous ?? Buffer.alloc(0))
    .update(content)
    .update(`${streamId}\n${revision}\n${hashInstant(recordedAt)}`)
    .digest();
}

export function globalLink(previous: Buffer | null, link: Buffer, position: bigint): Buffer {
  const at = Buffer.alloc(8);
  at.writeBigInt64BE(position);
  return createHash('sha256').update(previous ?? Buffer.alloc(0)).update(link).update(at).digest();
}

/** What a seal signs: the global head as of a position. */
export const sealMessage = (position: bigint, globalHash: string): Buffer => Buffer.from(`jejak-seal/1\n${position}\n${globalHash}`, 'utf8');

/** The stream the seals are appended to. */
export const SEAL_STREAM = 'jejak-seals';
export const SEAL_EVENT = 'LogSealed';

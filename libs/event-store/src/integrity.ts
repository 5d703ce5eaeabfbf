/**
 * The integrity chain's hashes, in one place, shared by the append path, the chainer, the verifier and the
 * offline bundle check (which must run with no database at all).
 *
 * - content hash: SHA-256 of `id \n type \n data \n metadata` as stored (jsonb text), computed by the store;
 * - link hash (per stream): SHA-256 of `previous link of the stream (empty for revision 0) || content hash
 *   || UTF-8(stream \n revision \n recordedAt as ISO 8601 in milliseconds)`, computed by the store in the
 *   append transaction, since only there are the previous link, the revision and the commit time known;
 * - global link (commit order): SHA-256 of `previous global link (empty at the start) || link hash ||
 *   position as 8 bytes big-endian`, computed by the chainer as the log becomes final.
 *
 * Canonical JSON (object keys sorted, no whitespace) is what case files are signed over.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from './types';

export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: JsonValue, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i]!, out);
    }
    out.push(']');
  } else {
    const keys = Object.keys(value).sort();
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(keys[i]), ':');
      write((value as Record<string, JsonValue>)[keys[i]!]!, out);
    }
    out.push('}');
  }
}

/**
 * The content hash, over the event as stored: `id \n type \n data \n metadata`, with data and metadata as
 * the store prints them (PostgreSQL's jsonb text: one fixed spelling for each value). The store computes
 * it in the append; verification reads the same text back; a case file carries that text, so that an
 * offline check hashes exactly the bytes that were sealed.
 */
export function contentHash(id: string, type: string, dataText: string, metadataText: string): Buffer {
  return createHash('sha256').update(`${id.toLowerCase()}\n${type}\n${dataText}\n${metadataText}`).digest();
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

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
import { createHash, createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';

import type { EventMetadata, JsonValue, NewEvent } from './types';

/**
 * Event authentication. Link hashes and seals prove the log was not changed after it was written, but
 * anyone who can call the database's append function writes an event that is chained and sealed like any
 * other. So every event Jejak writes carries, in its metadata under `$mac`, an HMAC-SHA256 of its stream,
 * id, type, data and metadata under a key derived from the master key, which never enters the database (it
 * is never sent there, not even as a query parameter). The verifier recomputes it in the application: an
 * event without a valid MAC, after the first one that has one, did not come through Jejak.
 */
export const MAC_METADATA_KEY = '$mac';

/** The event MAC key: derived from the master key for this purpose alone. */
export function eventMacKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'jejak/event-mac', 32));
}

export function eventMac(
  key: Buffer,
  streamId: string,
  event: { readonly id: string; readonly type: string; readonly data: JsonValue; readonly metadata: EventMetadata },
): string {
  const { [MAC_METADATA_KEY]: _mac, ...metadata } = event.metadata;
  return createHmac('sha256', key)
    .update(
      `jejak-mac/1\n${streamId}\n${event.id.toLowerCase()}\n${event.type}\n${canonicalJson(event.data)}\n${canonicalJson(metadata as JsonValue)}`,
      'utf8',
    )
    .digest('base64url');
}

/** Whether an event as read back carries a valid MAC (undefined when it carries none). */
export function macValid(
  key: Buffer,
  streamId: string,
  event: { readonly id: string; readonly type: string; readonly data: JsonValue; readonly metadata: EventMetadata; readonly mac?: string },
): boolean | undefined {
  if (event.mac === undefined) return undefined;
  const want = Buffer.from(eventMac(key, streamId, event));
  const have = Buffer.from(event.mac);
  return want.length === have.length && timingSafeEqual(want, have);
}

/** An event's metadata as it was stored and hashed: with its MAC, which reads take out into `mac`. */
export function storedMetadata(event: { readonly metadata: EventMetadata; readonly mac?: string }): JsonValue {
  return (event.mac === undefined ? event.metadata : { ...event.metadata, [MAC_METADATA_KEY]: event.mac }) as JsonValue;
}

/** Whether a caller tried to set the MAC itself: only the store does. */
export function callerSetMac(events: readonly NewEvent[]): number {
  if (!Array.isArray(events)) return -1;
  return events.findIndex(
    (e) => e !== null && typeof e === 'object' && e.metadata !== null && typeof e.metadata === 'object' && MAC_METADATA_KEY in e.metadata,
  );
}

/** The events with their ids fixed and their MACs added, when the store has a MAC key. */
export function withMacs(key: Buffer | undefined, streamId: string, events: readonly NewEvent[]): readonly NewEvent[] {
  if (!key || !Array.isArray(events)) return events;
  return events.map((e) => {
    if (e === null || typeof e !== 'object') return e;
    const id = e.id ?? randomUUID();
    const metadata = e.metadata ?? {};
    if (typeof metadata !== 'object' || metadata === null) return e;
    let mac: string;
    try {
      mac = eventMac(key, streamId, { id, type: e.type, data: e.data, metadata });
    } catch {
      return e; // not JSON: validation refuses it with a field error
    }
    return { ...e, id, metadata: { ...metadata, [MAC_METADATA_KEY]: mac } };
  });
}

export function canonicalJson(value: JsonValue): string {
  // Built by concatenation, with object keys' quoted spellings remembered: it runs for every event's MAC, on
  // every append and for every event an audit verifies (1.6 times faster than collecting pieces). A value JSON
  // cannot spell (undefined) contributes nothing, as it always did.
  if (value === null || typeof value !== 'object') return (JSON.stringify(value) as string | undefined) ?? '';
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]!);
    }
    return `${out}]`;
  }
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += quotedKey(keys[i]!);
    out += ':';
    out += canonicalJson((value as Record<string, JsonValue>)[keys[i]!]!);
  }
  return `${out}}`;
}

/** Object keys repeat from event to event: their JSON spellings are kept (a bounded number of short ones). */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (key.length <= 64 && quotedKeys.size < 4_096) quotedKeys.set(key, quoted);
  }
  return quoted;
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
  return createHash('sha256')
    .update(previous ?? Buffer.alloc(0))
    .update(link)
    .update(at)
    .digest();
}

/** What a seal signs: the global head as of a position. */
export const sealMessage = (position: bigint, globalHash: string): Buffer =>
  Buffer.from(`jejak-seal/1\n${position}\n${globalHash}`, 'utf8');

/** The stream the seals are appended to. */
export const SEAL_STREAM = 'jejak-seals';
export const SEAL_EVENT = 'LogSealed';

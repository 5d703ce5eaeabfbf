/**
 * Case files: one stream exported with everything needed to check it offline, with no database: its
 * events and link hashes, the seals that cover them with the deployment's public key, and for each seal
 * the link hashes of every event between the previous seal and it (hashes only: other people's records
 * stay out), so that the global chain can be recomputed up to the signed head. The whole file is signed
 * as well, so that no byte of it can change unnoticed.
 */
import { createHash, sign, verify as verifySignature } from 'node:crypto';

import {
  canonicalJson,
  collectIfAny,
  contentHash,
  type EventStore,
  globalLink,
  type JsonValue,
  linkHash,
  SEAL_STREAM,
  type SqlQueryable,
  storedMetadata,
} from '@jejak/event-store';

import { logTable, type SealData } from './chain';
import { isRotation, SealKeyChain, type SealKeyRotation } from './key-chain';
import { publicSealKey, type SealKey, sealSignatureValid } from './seal-key';

export const BUNDLE_FORMAT = 'jejak-case-file/1';

export interface BundleEvent {
  readonly position: string;
  readonly revision: string;
  readonly id: string;
  readonly type: string;
  /** Data and metadata exactly as stored (the text the content hash covers); parse them to read. */
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
  readonly hash: string;
}

export interface BundleSegment {
  /** The seal this segment ends at. */
  readonly seal: SealData;
  /** The seal before it, whose signed head the segment starts from; null at the start of the log. */
  readonly previous: SealData | null;
  /** [position, link hash] of every event after the previous seal up to this one, in log order. */
  readonly links: readonly (readonly [string, string])[];
}

export interface BundleBody {
  readonly format: typeof BUNDLE_FORMAT;
  readonly streamId: string;
  readonly exportedAt: string;
  readonly publicKey: string;
  readonly fingerprint: string;
  readonly events: readonly BundleEvent[];
  readonly segments: readonly BundleSegment[];
  /**
   * Every seal-key rotation of the log, in order (absent in files from before rotations): the keys from
   * the first seal's to the one that signed this file, each handing over to the next.
   */
  readonly rotations?: readonly SealKeyRotation[];
}

const bundleMessage = (body: string): Buffer =>
  Buffer.concat([Buffer.from('jejak-bundle/1\n'), createHash('sha256').update(body).digest()]);

/** A stream's events as a case file carries them, and the seals, read where the log lives. */
async function storedStream(store: EventStore, db: SqlQueryable, streamId: string): Promise<{ events: BundleEvent[]; seals: SealData[] }> {
  if (logTable(store) === 'jejak_log_mirror') {
    // KurrentDB: the adapter hashed the canonical JSON of data and metadata, so that is the text carried.
    const read = (id: string) => collectIfAny(store.readStream(id));
    const events = (await read(streamId)).map((e) => ({
      position: e.position.toString(),
      revision: e.revision.toString(),
      id: e.id,
      type: e.type,
      data: canonicalJson(e.data),
      metadata: canonicalJson(storedMetadata(e)),
      recordedAt: e.recordedAt.toISOString(),
      hash: e.linkHash?.toString('hex') ?? '',
    }));
    return { events, seals: (await read(SEAL_STREAM)).map((e) => e.data as unknown as SealData) };
  }
  const rows = await db.query<{
    position: string;
    revision: string;
    id: string;
    type: string;
    data: string;
    metadata: string;
    recorded_at: Date | string;
    hash: Buffer | Uint8Array | null;
  }>(
    `select position::text as position, revision::text as revision, id::text as id, type, data::text as data, metadata::text as metadata, recorded_at, hash
       from jejak_events e where e.stream_id = $1 order by e.revision`,
    [streamId],
  );
  const events: BundleEvent[] = rows.map((r) => ({
    position: r.position,
    revision: r.revision,
    id: r.id,
    type: r.type,
    data: r.data,
    metadata: r.metadata,
    recordedAt: (r.recorded_at instanceof Date ? r.recorded_at : new Date(r.recorded_at)).toISOString(),
    hash: r.hash ? Buffer.from(r.hash).toString('hex') : '',
  }));
  const seals = (
    await db.query<{ data: string }>(`select data::text as data from jejak_events e where e.stream_id = $1 order by e.revision`, [
      SEAL_STREAM,
    ])
  ).map((r) => JSON.parse(r.data) as SealData);
  return { events, seals };
}

/** The bundle file: its body in canonical JSON, and the seal key's signature over that body. */
export async function exportBundle(
  store: EventStore,
  db: SqlQueryable,
  streamId: string,
  key: SealKey,
  now = new Date(),
): Promise<{ text: string; events: number; sealed: number }> {
  const { events, seals } = await storedStream(store, db, streamId);
  if (events.length === 0) throw new Error(`No stream ${streamId}`);
  // For each event, the first seal at or after it; each such seal gets one segment.
  const needed = new Set<number>();
  for (const e of events) {
    const index = seals.findIndex((s) => BigInt(s.position) >= BigInt(e.position));
    if (index >= 0) needed.add(index);
  }
  const segments: BundleSegment[] = [];
  for (const index of [...needed].sort((a, b) => a - b)) {
    const previous = index > 0 ? seals[index - 1]! : null;
    // The links as stored with the events (SQL), or as the chainer took them from the events (KurrentDB).
    const links = await db.query<{ position: string; hash: Buffer | Uint8Array | null }>(
      logTable(store) === 'jejak_log_mirror'
        ? `select c.position::text as position, c.link as hash from jejak_chain c where c.position > $1 and c.position <= $2 order by c.position`
        : `select c.position::text as position, e.hash from jejak_chain c left join jejak_events e on e.position = c.position
            where c.position > $1 and c.position <= $2 order by c.position`,
      [previous ? previous.position : '-1', seals[index]!.position],
    );
    segments.push({
      seal: seals[index]!,
      previous,
      links: links.map((l) => [l.position, l.hash ? Buffer.from(l.hash).toString('hex') : ''] as const),
    });
  }
  const body: BundleBody = {
    format: BUNDLE_FORMAT,
    streamId,
    exportedAt: now.toISOString(),
    publicKey: key.publicKeyBase64,
    fingerprint: key.fingerprint,
    events,
    segments,
    rotations: seals.filter(isRotation),
  };
  const canonical = canonicalJson(body as unknown as JsonValue);
  if (!key.privateKey) throw new Error('Exporting needs the seal key (JEJAK_SEAL_KEY or the data directory)');
  const signature = sign(null, bundleMessage(canonical), key.privateKey).toString('base64');
  return { text: `{"body":${canonical},"signature":${JSON.stringify(signature)}}\n`, events: events.length, sealed: segments.length };
}

export interface BundleVerdict {
  readonly ok: boolean;
  readonly streamId: string | null;
  readonly fingerprint: string | null;
  readonly events: number;
  /** Events covered by a verified seal; the rest were written after the last seal of the export. */
  readonly sealedEvents: number;
  readonly problem: string | null;
}

/** Checks a bundle with nothing but its own bytes (and, to trust it, the fingerprint one compares by hand). */
export function verifyBundle(text: string): BundleVerdict {
  let streamId: string | null = null;
  let fingerprint: string | null = null;
  const fail = (problem: string, events = 0): BundleVerdict => ({ ok: false, streamId, fingerprint, events, sealedEvents: 0, problem });
  let parsed: { body: BundleBody; signature: string };
  try {
    parsed = JSON.parse(text) as { body: BundleBody; signature: string };
  } catch {
    return fail('the file is not a bundle (not JSON)');
  }
  const body = parsed.body;
  if (!body || body.format !== BUNDLE_FORMAT || typeof parsed.signature !== 'string') return fail('the file is not a jejak case file');
  streamId = body.streamId;
  let key;
  try {
    key = publicSealKey(body.publicKey);
  } catch {
    return fail('the public key is not an Ed25519 key');
  }
  fingerprint = key.fingerprint;
  if (body.fingerprint !== key.fingerprint) return fail('the fingerprint does not belong to the public key');
  // The whole body: any byte of it changed breaks this signature.
  const canonical = canonicalJson(body as unknown as JsonValue);
  let signed = false;
  try {
    signed = verifySignature(null, bundleMessage(canonical), key.publicKey, Buffer.from(parsed.signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed || text.trim() !== `{"body":${canonical},"signature":${JSON.stringify(parsed.signature)}}`)
    return fail('the file was changed after it was exported (its signature does not match)', body.events.length);

  // The keys: from the first rotation's retiring key (or this file's key when there was none), each
  // rotation signed by the key it retires and the one it introduces, ending at the key that signed the file.
  const rotations = body.rotations ?? [];
  const chain = new SealKeyChain();
  for (const rotation of rotations) {
    if (!isRotation(rotation)) return fail('a key rotation of the file names no next key', body.events.length);
    const problem = chain.check(rotation);
    if (problem) return fail(problem, body.events.length);
  }
  if ((rotations.at(-1)?.nextKey ?? body.publicKey) !== body.publicKey)
    return fail('the key that signed the file is not the last of its key chain', body.events.length);
  const keys = new Map<string, ReturnType<typeof publicSealKey>>();
  /** The key in effect for a seal of `position`: the one named by the last rotation before it. */
  const keyAt = (position: string) => {
    let base64 = rotations[0]?.publicKey ?? body.publicKey;
    for (const r of rotations) if (BigInt(r.position) < BigInt(position)) base64 = r.nextKey;
    if (!keys.has(base64)) keys.set(base64, publicSealKey(base64));
    return keys.get(base64)!.publicKey;
  };

  // The stream's own chain, from revision 0.
  let previous: Buffer | null = null;
  for (const [i, e] of body.events.entries()) {
    if (e.revision !== String(i)) return fail(`revision ${i} is missing from the stream`, body.events.length);
    const link = linkHash(
      previous,
      contentHash(e.id, e.type, e.data, e.metadata),
      body.streamId,
      BigInt(e.revision),
      new Date(e.recordedAt),
    );
    if (link.toString('hex') !== e.hash)
      return fail(`revision ${e.revision} was modified: it no longer hashes to its link`, body.events.length);
    previous = link;
  }
  // Each segment: the global chain from the previous seal's signed head to this seal's, through every link.
  const covered = new Set<string>();
  let lastSealed = -1n;
  for (const segment of body.segments) {
    const { seal, previous: before } = segment;
    if (!sealSignatureValid(keyAt(seal.position), BigInt(seal.position), seal.globalHash, seal.signature))
      return fail(`the seal of position ${seal.position} has a bad signature`, body.events.length);
    if (before && !sealSignatureValid(keyAt(before.position), BigInt(before.position), before.globalHash, before.signature))
      return fail(`the seal of position ${before.position} has a bad signature`, body.events.length);
    if (
      (seal.previous?.position ?? null) !== (before?.position ?? null) ||
      (seal.previous?.globalHash ?? null) !== (before?.globalHash ?? null)
    ) {
      return fail(`the segment before the seal of position ${seal.position} does not start at the seal before it`, body.events.length);
    }
    let g: Buffer | null = before ? Buffer.from(before.globalHash, 'hex') : null;
    let last = before ? BigInt(before.position) : -1n;
    for (const [position, hash] of segment.links) {
      if (BigInt(position) <= last) return fail('the links of a segment are out of order', body.events.length);
      last = BigInt(position);
      g = globalLink(g, Buffer.from(hash, 'hex'), BigInt(position));
      covered.add(`${position}:${hash}`);
    }
    if (last.toString() !== seal.position || !g || g.toString('hex') !== seal.globalHash)
      return fail(`the log does not hash to what the seal of position ${seal.position} signed`, body.events.length);
    if (last > lastSealed) lastSealed = last;
  }
  const sealedEvents = body.events.filter((e) => covered.has(`${e.position}:${e.hash}`)).length;
  const missing = body.events.find((e) => BigInt(e.position) <= lastSealed && !covered.has(`${e.position}:${e.hash}`));
  if (missing) return fail(`revision ${missing.revision} is not in the sealed log where the file says it is`, body.events.length);
  return { ok: true, streamId, fingerprint, events: body.events.length, sealedEvents, problem: null };
}

import type { KeyObject } from 'node:crypto';

import {
  canonicalJson,
  collectIfAny,
  contentHash,
  type EventStore,
  globalLink,
  linkHash,
  macValid,
  type RecordedEvent,
  SEAL_STREAM,
  type SqlQueryable,
  storedMetadata,
} from '@jejak/event-store';

import { logTable, type SealData } from './chain';
import { sealVerdicts } from './key-chain';
import { publicKeyBase64 } from './seal-key';
import { type BrokenLink, verifyLog, type VerifyProgress, type VerifyResult } from './verify';

const PAGE = 20_000;

interface ChainRow {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly globalHash: Buffer;
}

async function* chainRows(db: SqlQueryable): AsyncGenerator<ChainRow> {
  let after = '-1';
  for (;;) {
    const rows = await db.query<{ position: string; stream_id: string; revision: string; global_hash: Buffer | Uint8Array }>(
      `select c.position::text as position, c.stream_id, c.revision::text as revision, c.global_hash from jejak_chain c
        where c.position > $1 order by c.position limit ${PAGE}`,
      [after],
    );
    for (const r of rows)
      yield { position: BigInt(r.position), streamId: r.stream_id, revision: BigInt(r.revision), globalHash: Buffer.from(r.global_hash) };
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.position;
  }
}

/**
 * Verification for an event store that carries each event's link on the event (KurrentDB): one pass over
 * the log as the store returns it, in position order, beside the chain rows the chainer wrote, with the
 * same checks and the same answer as the SQL verification (verify.ts):
 *
 * - each event's link against its content (canonical JSON of data and metadata, as the adapter hashed
 *   them), its place and the stored link of the stream's previous event; revisions must follow each other;
 * - each chained position against the event standing there, and each global link against the stored
 *   previous one; each seal's signature against the key in effect (key-chain.ts), and its hash against the chain.
 *
 * The hashing runs here rather than in a database, a stream's last link is kept in memory per stream.
 * A removed tail that was never chained cannot be seen (there is no separate stream table to compare).
 */
export async function verifyStoreLog(
  store: EventStore,
  db: SqlQueryable,
  publicKey: KeyObject,
  onProgress?: (p: VerifyProgress) => void,
): Promise<VerifyResult> {
  const started = Date.now();
  const [counts] = await db.query<{ n: string; head: string | null }>(
    `select count(*)::text as n, max(position)::text as head from jejak_chain`,
    [],
  );
  const chainHead = counts?.head ? BigInt(counts.head) : -1n;
  const total = Number(counts?.n ?? 0);
  const streams = new Map<string, { revision: bigint; link: Buffer | null }>();
  let events = 0;
  let notYetChained = 0;
  let chainedUpTo: string | null = null;
  let sealed: VerifyResult['sealed'] = null;
  let seals = 0;
  let previousGlobal: Buffer | null = null;
  const result = (firstBreak: BrokenLink | null): VerifyResult => ({
    intact: firstBreak === null,
    firstBreak,
    events,
    streams: streams.size,
    chainedUpTo,
    sealed,
    notYetChained,
    seconds: (Date.now() - started) / 1000,
  });

  // Which key must have signed each seal follows from every rotation before it: the seal stream first.
  const verdicts = sealVerdicts(
    (await collectIfAny(store.readStream(SEAL_STREAM))).map((s) => ({ at: s.position.toString(), seal: s.data as unknown as SealData })),
    publicKeyBase64(publicKey),
  );
  const log = store.readAll()[Symbol.asyncIterator]();
  const chain = chainRows(db);
  let event = (await log.next()).value as RecordedEvent | undefined;
  let row = (await chain.next()).value as ChainRow | undefined;
  while (event || row) {
    const at = event && (!row || event.position <= row.position) ? event.position : row!.position;
    const e = event?.position === at ? event : undefined;
    const c = row?.position === at ? row : undefined;

    // The global chain first: at one position, it says how the event got there.
    if (c && !e)
      return result({
        kind: 'removed',
        position: at.toString(),
        streamId: c.streamId,
        revision: c.revision.toString(),
        detail: 'a chained event is gone',
      });
    if (e && !c) {
      if (at <= chainHead)
        return result({
          kind: 'inserted',
          position: at.toString(),
          streamId: e.streamId,
          revision: e.revision.toString(),
          detail: 'an event stands where none was chained',
        });
      notYetChained++;
    }
    if (e && c) {
      if (c.streamId !== e.streamId || c.revision !== e.revision) {
        return result({
          kind: 'reordered',
          position: at.toString(),
          streamId: e.streamId,
          revision: e.revision.toString(),
          detail: `the chain has ${c.streamId} revision ${c.revision} at this position`,
        });
      }
      if (!e.linkHash || !globalLink(previousGlobal, e.linkHash, at).equals(c.globalHash)) {
        return result({
          kind: 'modified',
          position: at.toString(),
          streamId: e.streamId,
          revision: e.revision.toString(),
          detail: 'the global chain does not match the events up to here',
        });
      }
      previousGlobal = c.globalHash;
      chainedUpTo = at.toString();
    }

    if (e) {
      const stream = streams.get(e.streamId);
      const expected = stream ? stream.revision + 1n : 0n;
      const where = { position: at.toString(), streamId: e.streamId };
      if (e.revision > expected)
        return result({
          kind: 'removed',
          ...where,
          revision: expected.toString(),
          detail: `revision ${expected} is missing before revision ${e.revision}`,
        });
      if (e.revision < expected)
        return result({
          kind: 'reordered',
          ...where,
          revision: e.revision.toString(),
          detail: `revision ${e.revision} comes where revision ${expected} should`,
        });
      const content = contentHash(e.id, e.type, canonicalJson(e.data), canonicalJson(storedMetadata(e)));
      const link = linkHash(stream?.link ?? null, content, e.streamId, e.revision, e.recordedAt);
      if (!e.linkHash) return result({ kind: 'modified', ...where, revision: e.revision.toString(), detail: 'its link hash is gone' });
      if (!link.equals(e.linkHash))
        return result({
          kind: 'modified',
          ...where,
          revision: e.revision.toString(),
          detail: 'its content, time or place no longer hashes to its link',
        });
      streams.set(e.streamId, { revision: e.revision, link: e.linkHash });

      if (e.streamId === SEAL_STREAM) {
        const seal = e.data as unknown as SealData;
        const signature = verdicts.has(e.position.toString())
          ? verdicts.get(e.position.toString())!
          : `the seal of position ${seal.position} is not in the seal stream`;
        if (signature !== null) return result({ kind: 'bad_signature', ...where, revision: e.revision.toString(), detail: signature });
        const [signed] = await db.query<{ global_hash: Buffer | Uint8Array }>(`select global_hash from jejak_chain where position = $1`, [
          seal.position,
        ]);
        if (!signed || Buffer.from(signed.global_hash).toString('hex') !== seal.globalHash) {
          return result({
            kind: signed ? 'modified' : 'removed',
            position: seal.position,
            streamId: e.streamId,
            revision: e.revision.toString(),
            detail: 'the log no longer hashes to what this seal signed',
          });
        }
        sealed = { position: seal.position, sealedAt: seal.sealedAt, seals: ++seals };
      }
      events++;
      if (events % PAGE === 0) onProgress?.({ pass: 'global chain', checked: events, total: Math.max(total, events) });
    }
    if (e) event = (await log.next()).value as RecordedEvent | undefined;
    if (c) row = (await chain.next()).value as ChainRow | undefined;
  }
  onProgress?.({ pass: 'global chain', checked: events, total: Math.max(total, events) });
  return result(null);
}

/**
 * Verifies the log wherever it lives: in the SQL store's tables (verify.ts), or through the store
 * (KurrentDB); and, at the same time, with the event MAC key, that every event came through Jejak (verifyMacs).
 */
export async function verifyIntegrity(
  store: EventStore,
  db: SqlQueryable,
  publicKey: KeyObject,
  onProgress?: (p: VerifyProgress) => void,
  macKey?: Buffer,
): Promise<VerifyResult> {
  const started = Date.now();
  // Side by side: the chain keeps the database busy, the MACs this process (the key never leaves it).
  const [chain, macs] = await Promise.all([
    logTable(store) === 'jejak_log_mirror' ? verifyStoreLog(store, db, publicKey, onProgress) : verifyLog(db, publicKey, onProgress),
    macKey ? verifyMacs(store, macKey, onProgress) : undefined,
  ]);
  if (!macs) return chain;
  const seconds = (Date.now() - started) / 1000;
  const forged = macs.firstForged;
  // The lower position explains the log first; a changed event breaks its link and, usually, its MAC too.
  const first = !forged
    ? chain.firstBreak
    : !chain.firstBreak || BigInt(forged.position ?? 0) < BigInt(chain.firstBreak.position ?? 0)
      ? forged
      : chain.firstBreak;
  return { ...chain, intact: chain.intact && !forged, firstBreak: first, authenticated: macs.authenticated, seconds };
}

/**
 * Every event's MAC, recomputed here with a key the database never holds: an event that carries none
 * (after the first that does: older logs start without them) or a wrong one was not written through Jejak,
 * even though its link hash, computed by the database's own append function, is right.
 */
export async function verifyMacs(
  store: EventStore,
  key: Buffer,
  onProgress?: (p: VerifyProgress) => void,
): Promise<{ authenticated: number; before: number; firstForged: BrokenLink | null }> {
  let authenticated = 0;
  let before = 0;
  let checked = 0;
  for await (const event of store.readAll()) {
    checked++;
    if (checked % 10_000 === 0) onProgress?.({ pass: 'authentication', checked, total: checked });
    const valid = macValid(key, event.streamId, event);
    if (valid === true) {
      authenticated++;
      continue;
    }
    if (valid === undefined && authenticated === 0) {
      before++;
      continue;
    }
    return {
      authenticated,
      before,
      firstForged: {
        kind: 'forged',
        position: event.position.toString(),
        streamId: event.streamId,
        revision: event.revision.toString(),
        detail:
          valid === undefined
            ? 'it carries no MAC: it was not written through Jejak'
            : 'its MAC does not match its content: it was not written through Jejak',
      },
    };
  }
  return { authenticated, before, firstForged: null };
}

import type { KeyObject } from 'node:crypto';
import { SEAL_STREAM, contentHash, globalLink, linkHash, type JsonValue, type SqlQueryable } from '@jejak/event-store';
import { sealSignatureValid } from './seal-key';
import type { SealData } from './chain';

export type BreakKind = 'modified' | 'removed' | 'inserted' | 'reordered' | 'bad_signature';

/** The first broken link: where, which event, and what kind of change explains it. Never any event data. */
export interface BrokenLink {
  readonly kind: BreakKind;
  readonly position: string | null;
  readonly streamId: string;
  readonly revision: string;
  readonly detail: string;
}

export interface VerifyResult {
  readonly intact: boolean;
  readonly firstBreak: BrokenLink | null;
  /** Events checked, in how many streams. */
  readonly events: number;
  readonly streams: number;
  /** The last position of the global chain that was checked. */
  readonly chainedUpTo: string | null;
  /** The last seal whose signature and hash were checked. */
  readonly sealed: { readonly position: string; readonly sealedAt: string; readonly seals: number } | null;
  /** Events written after the chainer's last batch: their stream links were checked, their global links not yet. */
  readonly notYetChained: number;
  readonly seconds: number;
}

export interface VerifyProgress {
  readonly pass: 'streams' | 'global chain';
  readonly checked: number;
  readonly total: number;
}

const PAGE = 5_000;
const bytes = (b: Buffer | Uint8Array | null): Buffer | null => (b === null ? null : Buffer.from(b));

/**
 * Recomputes the integrity chain from the stored events and names the first broken link, in two passes
 * that each hold one page and one running hash (constant memory):
 *
 * 1. streams, each in revision order: every event's link hash from its content and the previous link;
 *    a link that does not match means the event was modified; a missing revision, a removal; the stream
 *    table's head (revision and link) catches a removed tail even before it was chained;
 * 2. the global chain, in position order, against the rows the chainer wrote: a chained position with no
 *    event is a removal, an event where none was chained an insertion, another event than the one chained
 *    there a reordering, a global link that does not match a modification of the chain itself; each seal's
 *    signature is checked against the deployment's key and its hash against the chain.
 *
 * The first break is the one at the lowest position; at the same position, the global pass's kind wins
 * (it says how the event got there).
 */
export async function verifyLog(db: SqlQueryable, publicKey: KeyObject, onProgress?: (p: VerifyProgress) => void): Promise<VerifyResult> {
  const started = Date.now();
  const [counts] = await db.query<{ events: string; streams: string }>(
    `select (select count(*) from jejak_events)::text as events, (select count(*) from jejak_streams)::text as streams`,
    [],
  );
  const total = Number(counts!.events);
  const streams = await verifyStreams(db, total, onProgress);
  const global = await verifyGlobal(db, publicKey, total, onProgress);
  const breaks = [streams.firstBreak, global.firstBreak].filter((b): b is BrokenLink => b !== null);
  // A break with no position (a stream whose head or last events are gone) sorts after those with one.
  const position = (b: BrokenLink) => (b.position === null ? BigInt(Number.MAX_SAFE_INTEGER) ** 2n : BigInt(b.position));
  const firstBreak = breaks.sort((a, b) => (position(a) < position(b) ? -1 : position(a) > position(b) ? 1 : a === global.firstBreak ? -1 : 1))[0] ?? null;
  return {
    intact: firstBreak === null,
    firstBreak,
    events: total,
    streams: Number(counts!.streams),
    chainedUpTo: global.chainedUpTo,
    sealed: global.sealed,
    notYetChained: global.notYetChained,
    seconds: (Date.now() - started) / 1000,
  };
}

type EventRow = {
  position: string;
  stream_id: string;
  revision: string;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: Date | string;
  hash: Buffer | Uint8Array | null;
};

async function verifyStreams(db: SqlQueryable, total: number, onProgress?: (p: VerifyProgress) => void): Promise<{ firstBreak: BrokenLink | null }> {
  // A stream row whose events are all gone.
  const [empty] = await db.query<{ stream_id: string }>(
    `select s.stream_id from jejak_streams s where not exists (select 1 from jejak_events e where e.stream_id = s.stream_id) order by s.stream_id limit 1`,
    [],
  );
  let first: BrokenLink | null = empty ? { kind: 'removed', position: null, streamId: empty.stream_id, revision: '0', detail: 'every event of the stream is gone' } : null;
  const consider = (b: BrokenLink) => {
    if (!first || (b.position !== null && (first.position === null ? false : BigInt(b.position) < BigInt(first.position)))) first = b;
  };
  let after: [string, string] = ['', '-1'];
  let stream: string | undefined;
  let expected = 0n;
  let previous: Buffer | null = null;
  let broken = false; // the current stream's first break is recorded; skip the rest of it
  let checked = 0;
  const finishStream = async (id: string, lastRevision: bigint, lastLink: Buffer | null) => {
    const [head] = await db.query<{ revision: string; head_hash: Buffer | Uint8Array | null }>(`select revision::text as revision, head_hash from jejak_streams where stream_id = $1`, [id]);
    if (!head) return;
    if (BigInt(head.revision) > lastRevision) {
      consider({ kind: 'removed', position: null, streamId: id, revision: (lastRevision + 1n).toString(), detail: `the stream reached revision ${head.revision}; its last events are gone` });
    } else if (lastLink && head.head_hash && !bytes(head.head_hash)!.equals(lastLink)) {
      consider({ kind: 'removed', position: null, streamId: id, revision: lastRevision.toString(), detail: 'the stream head does not match its last event' });
    }
  };
  for (;;) {
    const rows = await db.query<EventRow>(
      `select position::text as position, stream_id, revision::text as revision, id::text as id, type, data::text as data, metadata::text as metadata, recorded_at, hash
         from jejak_events e where (e.stream_id, e.revision) > ($1, $2::bigint) order by e.stream_id, e.revision limit ${PAGE}`,
      after,
    );
    for (const row of rows) {
      if (row.stream_id !== stream) {
        if (stream !== undefined && !broken) await finishStream(stream, expected - 1n, previous);
        stream = row.stream_id;
        expected = 0n;
        previous = null;
        broken = false;
      }
      if (broken) continue;
      const revision = BigInt(row.revision);
      if (revision !== expected) {
        consider({ kind: 'removed', position: row.position, streamId: row.stream_id, revision: expected.toString(), detail: `revision ${expected} is missing before revision ${revision}` });
        broken = true;
        continue;
      }
      const content = contentHash({ id: row.id, type: row.type, data: JSON.parse(row.data) as JsonValue, metadata: JSON.parse(row.metadata) as JsonValue });
      const link = linkHash(previous, content, row.stream_id, revision, row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at));
      const stored = bytes(row.hash);
      if (!stored || !stored.equals(link)) {
        consider({ kind: 'modified', position: row.position, streamId: row.stream_id, revision: row.revision, detail: stored ? 'its content, time or place no longer hashes to its link' : 'its link hash is gone' });
        broken = true;
        continue;
      }
      previous = link;
      expected = revision + 1n;
    }
    checked += rows.length;
    onProgress?.({ pass: 'streams', checked, total });
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = [last.stream_id, last.revision];
  }
  if (stream !== undefined && !broken) await finishStream(stream, expected - 1n, previous);
  return { firstBreak: first };
}

type JoinedRow = {
  position: string;
  stream_id: string | null;
  revision: string | null;
  hash: Buffer | Uint8Array | null;
  seal: string | null;
  c_stream: string | null;
  c_revision: string | null;
  global_hash: Buffer | Uint8Array | null;
};

async function verifyGlobal(
  db: SqlQueryable,
  publicKey: KeyObject,
  total: number,
  onProgress?: (p: VerifyProgress) => void,
): Promise<{ firstBreak: BrokenLink | null; chainedUpTo: string | null; sealed: VerifyResult['sealed']; notYetChained: number }> {
  const [head] = await db.query<{ p: string | null }>(`select max(position)::text as p from jejak_chain`, []);
  const chainHead = head?.p ? BigInt(head.p) : -1n;
  let previous: Buffer | null = null;
  let after = -1n;
  let checked = 0;
  let notYetChained = 0;
  let sealed: VerifyResult['sealed'] = null;
  let seals = 0;
  const broken = (b: BrokenLink) => ({ firstBreak: b, chainedUpTo: chainHead >= 0n ? chainHead.toString() : null, sealed, notYetChained });
  for (;;) {
    const rows = await db.query<JoinedRow & { e_end: string | null; c_end: string | null; e_full: boolean; c_full: boolean }>(
      `with e as (select position, stream_id, revision, hash, case when stream_id = $3 then data::text end as seal
                    from jejak_events where position > $1 order by position limit $2),
            c as (select position, stream_id, revision, global_hash from jejak_chain where position > $1 order by position limit $2),
            ends as (select (select max(position) from e) as e_end, (select count(*) from e) = $2 as e_full,
                            (select max(position) from c) as c_end, (select count(*) from c) = $2 as c_full)
       select coalesce(e.position, c.position)::text as position, e.stream_id, e.revision::text as revision, e.hash, e.seal,
              c.stream_id as c_stream, c.revision::text as c_revision, c.global_hash,
              ends.e_end::text as e_end, ends.c_end::text as c_end, ends.e_full, ends.c_full
         from e full join c on c.position = e.position cross join ends
        order by 1`,
      [after.toString(), PAGE, SEAL_STREAM],
    );
    if (rows.length === 0) break;
    // Both sides are complete up to the lower end of whichever pages were full.
    const first = rows[0]!;
    const bounds = [first.e_full && first.e_end ? BigInt(first.e_end) : null, first.c_full && first.c_end ? BigInt(first.c_end) : null].filter((b): b is bigint => b !== null);
    const upTo = bounds.length ? bounds.reduce((a, b) => (a < b ? a : b)) : null;
    let last = after;
    for (const row of rows) {
      const position = BigInt(row.position);
      if (upTo !== null && position > upTo) break;
      last = position;
      if (row.stream_id === null) {
        return broken({ kind: 'removed', position: row.position, streamId: row.c_stream!, revision: row.c_revision!, detail: 'a chained event is gone' });
      }
      if (row.c_stream === null) {
        if (position <= chainHead) return broken({ kind: 'inserted', position: row.position, streamId: row.stream_id, revision: row.revision!, detail: 'an event stands where none was chained' });
        notYetChained++;
        continue;
      }
      if (row.c_stream !== row.stream_id || row.c_revision !== row.revision) {
        return broken({
          kind: 'reordered',
          position: row.position,
          streamId: row.stream_id,
          revision: row.revision!,
          detail: `the chain has ${row.c_stream} revision ${row.c_revision} at this position`,
        });
      }
      const link = bytes(row.hash) ?? Buffer.alloc(32);
      previous = globalLink(previous, link, position);
      if (!bytes(row.global_hash)!.equals(previous)) {
        return broken({ kind: 'modified', position: row.position, streamId: row.stream_id, revision: row.revision!, detail: 'the global chain does not match the events up to here' });
      }
      if (row.seal !== null) {
        const seal = JSON.parse(row.seal) as SealData;
        if (!sealSignatureValid(publicKey, BigInt(seal.position), seal.globalHash, seal.signature)) {
          return broken({ kind: 'bad_signature', position: row.position, streamId: row.stream_id, revision: row.revision!, detail: `the seal of position ${seal.position} is not signed by this deployment's key` });
        }
        const [at] = await db.query<{ global_hash: Buffer | Uint8Array }>(`select global_hash from jejak_chain where position = $1`, [seal.position]);
        if (!at || bytes(at.global_hash)!.toString('hex') !== seal.globalHash) {
          return broken({ kind: at ? 'modified' : 'removed', position: seal.position, streamId: row.stream_id, revision: row.revision!, detail: 'the log no longer hashes to what this seal signed' });
        }
        sealed = { position: seal.position, sealedAt: seal.sealedAt, seals: ++seals };
      }
    }
    checked += rows.filter((r) => upTo === null || BigInt(r.position) <= upTo).length;
    onProgress?.({ pass: 'global chain', checked, total });
    const progressed = last !== after;
    after = last;
    if (upTo === null || !progressed) break;
  }
  // The last seal may sign a position whose events were all removed since.
  const [lastSeal] = await db.query<{ data: string }>(`select data::text as data from jejak_events where stream_id = $1 order by revision desc limit 1`, [SEAL_STREAM]);
  if (lastSeal) {
    const seal = JSON.parse(lastSeal.data) as SealData;
    if (BigInt(seal.position) > after) {
      return broken({ kind: 'removed', position: seal.position, streamId: SEAL_STREAM, revision: '-', detail: 'the log ends before the position its last seal signed' });
    }
  }
  return { firstBreak: null, chainedUpTo: chainHead >= 0n ? chainHead.toString() : null, sealed, notYetChained };
}

import type { KeyObject } from 'node:crypto';

import { SEAL_STREAM, type SqlQueryable } from '@jejak/event-store';

import type { SealData } from './chain';
import { sealSignatureValid } from './seal-key';

export type BreakKind = 'modified' | 'removed' | 'inserted' | 'reordered' | 'bad_signature' | 'forged';

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
  /** Events whose MAC was checked (when verified with the event MAC key). */
  readonly authenticated?: number;
}

export interface VerifyProgress {
  readonly pass: 'streams' | 'global chain' | 'authentication';
  readonly checked: number;
  readonly total: number;
}

const PAGE = 20_000;
const bytes = (b: Buffer | Uint8Array | null): Buffer | null => (b === null ? null : Buffer.from(b));

/**
 * Recomputes the integrity chain from the stored events and names the first broken link, in two passes,
 * each a chunk of rows at a time (constant memory), the hashing done by the database where the rows are:
 *
 * 1. streams, each in revision order: every event's link from its stored content, its place and the
 *    stream's previous link; a link that does not match means the event was modified; a missing revision,
 *    a removal; the stream table's head (revision and link) catches a removed tail even before it was
 *    chained;
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
  // Independent passes, side by side: on a server each keeps a database backend busy.
  const [streams, global] = await Promise.all([verifyStreams(db, total, onProgress), verifyGlobal(db, publicKey, total, onProgress)]);
  const breaks = [streams.firstBreak, global.firstBreak].filter((b): b is BrokenLink => b !== null);
  // A break with no position (a stream whose head or last events are gone) sorts after those with one.
  const position = (b: BrokenLink) => (b.position === null ? BigInt(Number.MAX_SAFE_INTEGER) ** 2n : BigInt(b.position));
  const firstBreak =
    breaks.sort((a, b) => (position(a) < position(b) ? -1 : position(a) > position(b) ? 1 : a === global.firstBreak ? -1 : 1))[0] ?? null;
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

const CHUNK = 20_000;

/**
 * Pass 1, in the database: each event's link must equal the hash of the stream's previous stored link, its
 * content (as stored) and its place, and revisions must follow each other. Checking every link against
 * the stored previous one proves the whole stored chain, and a bad row does not make the rows after it
 * bad: the bad rows are exactly where the log was touched. A chunk of rows at a time (constant memory);
 * only the chunk's earliest bad row by position, and its last row (to carry the chain on), come back.
 */
async function verifyStreams(
  db: SqlQueryable,
  total: number,
  onProgress?: (p: VerifyProgress) => void,
): Promise<{ firstBreak: BrokenLink | null }> {
  let first: BrokenLink | null = null;
  const consider = (b: BrokenLink) => {
    if (!first || (b.position !== null && (first.position === null || BigInt(b.position) < BigInt(first.position)))) first = b;
  };
  let boundary: { stream: string; revision: string; hash: Buffer | null } = { stream: '', revision: '-1', hash: null };
  let checked = 0;
  for (;;) {
    const rows = await db.query<{
      what: 'bad' | 'last';
      position: string;
      stream_id: string;
      revision: string;
      hash: Buffer | Uint8Array | null;
      expected_revision: string;
      stored: boolean;
      n: string;
    }>(
      `with chunk as (
         select e.position, e.stream_id, e.revision, e.hash,
                sha256(convert_to(lower(e.id::text) || E'\\n' || e.type || E'\\n' || e.data::text || E'\\n' || e.metadata::text, 'UTF8')) as content,
                to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
           from jejak_events e where (e.stream_id, e.revision) > ($1, $2::bigint) order by e.stream_id, e.revision limit ${CHUNK}),
       checked as (
         select *, row_number() over w as rn, count(*) over () as n,
                case when lag(stream_id) over w = stream_id then lag(revision) over w + 1
                     when stream_id = $1 then $2::bigint + 1 else 0 end as expected_revision,
                case when lag(stream_id) over w = stream_id then lag(hash) over w
                     when stream_id = $1 then $3::bytea else null end as prev
           from chunk window w as (order by stream_id, revision))
       (select 'bad' as what, position::text as position, stream_id, revision::text as revision, hash, expected_revision::text as expected_revision,
               hash is not null as stored, n::text as n
          from checked
         where revision <> expected_revision or hash is null
            or hash <> sha256(coalesce(prev, ''::bytea) || content || convert_to(stream_id || E'\\n' || revision::text || E'\\n' || at, 'UTF8'))
         order by checked.position limit 1)
       union all
       (select 'last', position::text, stream_id, revision::text, hash, expected_revision::text, true, n::text from checked order by rn desc limit 1)`,
      [boundary.stream, boundary.revision, boundary.hash],
    );
    const bad = rows.find((r) => r.what === 'bad');
    const last = rows.find((r) => r.what === 'last');
    if (bad) {
      if (bad.revision !== bad.expected_revision && BigInt(bad.revision) > BigInt(bad.expected_revision)) {
        consider({
          kind: 'removed',
          position: bad.position,
          streamId: bad.stream_id,
          revision: bad.expected_revision,
          detail: `revision ${bad.expected_revision} is missing before revision ${bad.revision}`,
        });
      } else if (bad.revision !== bad.expected_revision) {
        consider({
          kind: 'reordered',
          position: bad.position,
          streamId: bad.stream_id,
          revision: bad.revision,
          detail: `revision ${bad.revision} comes where revision ${bad.expected_revision} should`,
        });
      } else {
        consider({
          kind: 'modified',
          position: bad.position,
          streamId: bad.stream_id,
          revision: bad.revision,
          detail: bad.stored ? 'its content, time or place no longer hashes to its link' : 'its link hash is gone',
        });
      }
    }
    if (!last) break;
    checked += Number(last.n);
    onProgress?.({ pass: 'streams', checked, total });
    if (Number(last.n) < CHUNK) break;
    boundary = { stream: last.stream_id, revision: last.revision, hash: last.hash ? Buffer.from(last.hash) : null };
  }
  // Each stream's head (revision and link, kept by the append) against its last event: catches a removed
  // tail before it was chained, and a stream whose events are all gone.
  const [head] = await db.query<{ stream_id: string; revision: string; last_revision: string | null }>(
    `select s.stream_id, s.revision::text as revision, l.revision::text as last_revision
       from jejak_streams s left join lateral (select e.revision, e.hash from jejak_events e where e.stream_id = s.stream_id order by e.revision desc limit 1) l on true
      where l.revision is null or l.revision <> s.revision or (s.head_hash is not null and l.hash is distinct from s.head_hash)
      order by s.stream_id limit 1`,
    [],
  );
  if (head) {
    const lastRevision = head.last_revision === null ? -1n : BigInt(head.last_revision);
    consider({
      kind: 'removed',
      position: null,
      streamId: head.stream_id,
      revision: (lastRevision < BigInt(head.revision) ? lastRevision + 1n : lastRevision).toString(),
      detail:
        head.last_revision === null
          ? 'every event of the stream is gone'
          : lastRevision < BigInt(head.revision)
            ? `the stream reached revision ${head.revision}; its last events are gone`
            : 'the stream head does not match its last event',
    });
  }
  return { firstBreak: first };
}

/**
 * Pass 2, in the database too: the events and the chain rows side by side in position order, each global
 * link checked against the stored previous one (so, again, bad rows are exactly where the log was
 * touched), a chunk at a time. Back come the chunk's earliest bad row, its seals (their signatures are
 * checked here, against the deployment's key) and its last row.
 */
async function verifyGlobal(
  db: SqlQueryable,
  publicKey: KeyObject,
  total: number,
  onProgress?: (p: VerifyProgress) => void,
): Promise<{ firstBreak: BrokenLink | null; chainedUpTo: string | null; sealed: VerifyResult['sealed']; notYetChained: number }> {
  const [head] = await db.query<{ p: string | null }>(`select max(position)::text as p from jejak_chain`, []);
  const chainHead = head?.p ? BigInt(head.p) : -1n;
  let after = -1n;
  let previous: Buffer | null = null;
  let checked = 0;
  let notYetChained = 0;
  let sealed: VerifyResult['sealed'] = null;
  let seals = 0;
  // How far the chain was checked: the last chained row seen (the chainer may go on during the pass).
  let chainedUpTo: string | null = null;
  const broken = (b: BrokenLink) => ({ firstBreak: b, chainedUpTo, sealed, notYetChained });
  type Row = {
    what: 'bad' | 'seal' | 'last';
    position: string;
    stream_id: string | null;
    revision: string | null;
    c_stream: string | null;
    c_revision: string | null;
    global_hash: Buffer | Uint8Array | null;
    seal: string | null;
    n: string;
    unchained: string;
    chained_max: string | null;
  };
  for (;;) {
    const rows = await db.query<Row>(
      `with e as (select position, stream_id, revision, hash, case when stream_id = $3 then data::text end as seal
                    from jejak_events where position > $1 order by position limit $2),
            c as (select position, stream_id, revision, global_hash from jejak_chain where position > $1 order by position limit $2),
            -- Both sides are complete up to the lower end of whichever page was full.
            upto as (select least(case when (select count(*) from e) = $2 then (select max(position) from e) end,
                                  case when (select count(*) from c) = $2 then (select max(position) from c) end) as p),
            j as (select coalesce(e.position, c.position) as position, e.stream_id, e.revision, e.hash, e.seal,
                         c.stream_id as c_stream, c.revision as c_revision, c.global_hash
                    from e full join c on c.position = e.position
                   where coalesce(e.position, c.position) <= coalesce((select p from upto), coalesce(e.position, c.position))),
            w as (select *, coalesce(lag(global_hash) over o, $4::bytea) as prev_global, row_number() over o as rn,
                         count(*) over () as n, count(*) filter (where c_stream is null and position > $5) over () as unchained,
                         max(position) filter (where c_stream is not null) over () as chained_max
                    from j window o as (order by position)),
            bad as (select * from w
                     where stream_id is null
                        or (c_stream is null and position <= $5)
                        or (c_stream is not null and (c_stream <> stream_id or c_revision <> revision
                            or global_hash <> sha256(coalesce(prev_global, ''::bytea) || coalesce(hash, '\\x'::bytea) || int8send(position))))
                     order by position limit 1)
       select 'bad' as what, position::text as position, stream_id, revision::text as revision, c_stream, c_revision::text as c_revision, global_hash, seal, n::text as n, unchained::text as unchained, chained_max::text as chained_max from bad
       union all
       select 'seal', position::text, stream_id, revision::text, c_stream, c_revision::text, global_hash, seal, n::text, unchained::text, chained_max::text from w
        where seal is not null and position < coalesce((select position from bad), position + 1)
       union all
       (select 'last', position::text, stream_id, revision::text, c_stream, c_revision::text, global_hash, null, n::text, unchained::text, chained_max::text from w order by rn desc limit 1)`,
      [after.toString(), PAGE, SEAL_STREAM, previous, chainHead.toString()],
    );
    const last = rows.find((r) => r.what === 'last');
    if (!last) break;
    if (last.chained_max !== null) chainedUpTo = last.chained_max;
    // Seals before the chunk's first bad row: the signature, and the head it signed.
    for (const row of rows.filter((r) => r.what === 'seal').sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1))) {
      const seal = JSON.parse(row.seal!) as SealData;
      if (!sealSignatureValid(publicKey, BigInt(seal.position), seal.globalHash, seal.signature)) {
        return broken({
          kind: 'bad_signature',
          position: row.position,
          streamId: row.stream_id!,
          revision: row.revision!,
          detail: `the seal of position ${seal.position} is not signed by this deployment's key`,
        });
      }
      const [at] = await db.query<{ global_hash: Buffer | Uint8Array }>(`select global_hash from jejak_chain where position = $1`, [
        seal.position,
      ]);
      if (!at || bytes(at.global_hash)!.toString('hex') !== seal.globalHash) {
        return broken({
          kind: at ? 'modified' : 'removed',
          position: seal.position,
          streamId: row.stream_id!,
          revision: row.revision!,
          detail: 'the log no longer hashes to what this seal signed',
        });
      }
      sealed = { position: seal.position, sealedAt: seal.sealedAt, seals: ++seals };
    }
    const bad = rows.find((r) => r.what === 'bad');
    if (bad) {
      if (bad.stream_id === null)
        return broken({
          kind: 'removed',
          position: bad.position,
          streamId: bad.c_stream!,
          revision: bad.c_revision!,
          detail: 'a chained event is gone',
        });
      if (bad.c_stream === null)
        return broken({
          kind: 'inserted',
          position: bad.position,
          streamId: bad.stream_id,
          revision: bad.revision!,
          detail: 'an event stands where none was chained',
        });
      if (bad.c_stream !== bad.stream_id || bad.c_revision !== bad.revision) {
        return broken({
          kind: 'reordered',
          position: bad.position,
          streamId: bad.stream_id,
          revision: bad.revision!,
          detail: `the chain has ${bad.c_stream} revision ${bad.c_revision} at this position`,
        });
      }
      return broken({
        kind: 'modified',
        position: bad.position,
        streamId: bad.stream_id,
        revision: bad.revision!,
        detail: 'the global chain does not match the events up to here',
      });
    }
    const n = Number(last.n);
    notYetChained = Number(last.unchained) + notYetChained;
    checked += n;
    onProgress?.({ pass: 'global chain', checked, total });
    const progressed = BigInt(last.position) > after;
    after = BigInt(last.position);
    if (last.global_hash) previous = bytes(last.global_hash);
    if (n < PAGE || !progressed) {
      // A short chunk: both sides ended (or one was full and the other ran out): read on only if the full one goes further.
      if (n === 0 || !progressed) break;
      const [more] = await db.query<{ more: boolean }>(
        `select exists (select 1 from jejak_events where position > $1) or exists (select 1 from jejak_chain where position > $1) as more`,
        [after.toString()],
      );
      if (!more?.more) break;
    }
  }
  // The last seal may sign a position whose events were all removed since.
  const [lastSeal] = await db.query<{ data: string }>(
    `select data::text as data from jejak_events where stream_id = $1 order by revision desc limit 1`,
    [SEAL_STREAM],
  );
  if (lastSeal) {
    const seal = JSON.parse(lastSeal.data) as SealData;
    if (BigInt(seal.position) > after) {
      return broken({
        kind: 'removed',
        position: seal.position,
        streamId: SEAL_STREAM,
        revision: '-',
        detail: 'the log ends before the position its last seal signed',
      });
    }
  }
  return { firstBreak: null, chainedUpTo, sealed, notYetChained };
}

import type { KeyObject } from 'node:crypto';

import { SEAL_STREAM, type SqlClient, type SqlQueryable } from '@jejak/event-store';

import type { SealData } from './chain';
import { sealVerdicts } from './key-chain';
import { publicKeyBase64 } from './seal-key';

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
  /** The last position of the global chain that was checked and found intact (before the first break, if any). */
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

const CHUNK = 20_000;
const bytes = (b: Buffer | Uint8Array | null): Buffer | null => (b === null ? null : Buffer.from(b));

export interface VerifyOptions {
  /** How many chunks are checked at once (each keeps a database backend busy); 1 on the embedded store. */
  readonly concurrency?: number;
  /** Events per chunk (tests use small chunks to cross their boundaries). */
  readonly chunk?: number;
}

/**
 * Recomputes the integrity chain from the stored events and names the first broken link. The hashing is
 * done by the database where the rows are, in two independent passes cut into chunks of about 20,000
 * events (constant memory); the chunks of both passes are checked side by side, each on a backend of
 * its own, and only their bad rows and seals come back:
 *
 * 1. streams, each in revision order (a chunk is a range of whole streams): every event's link from its
 *    stored content, its place and the stream's previous stored link; a link that does not match means
 *    the event was modified; a missing revision, a removal; the stream table's head (revision and link)
 *    catches a removed tail even before it was chained;
 * 2. the global chain, in position order (a chunk is a range of positions), against the rows the chainer
 *    wrote: a chained position with no event is a removal, an event where none was chained an insertion,
 *    another event than the one chained there a reordering, a global link that does not match a
 *    modification of the chain itself; each seal's signature is checked against the seal key in effect
 *    where it stands (the keys followed from the first seal's through every rotation, key-chain.ts), and
 *    its hash against the chain.
 *
 * Every link is checked against the stored previous one, so chunks need nothing from each other and a bad
 * row does not make the rows after it bad: the bad rows are exactly where the log was touched. The log is
 * verified as it stood when verification began (later events are left for the next run).
 *
 * The first break is the one at the lowest position; at the same position, the global pass's kind wins
 * (it says how the event got there). In the global pass, the first break in position order is reported,
 * as a reader going through the log from its start would meet it.
 */
export async function verifyLog(
  db: SqlQueryable,
  publicKey: KeyObject,
  onProgress?: (p: VerifyProgress) => void,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const started = Date.now();
  const chunk = options.chunk ?? CHUNK;
  const [counts] = await db.query<{ events: string; streams: string; chain_head: string | null; events_head: string | null }>(
    `select (select count(*) from jejak_events)::text as events, (select count(*) from jejak_streams)::text as streams,
            (select max(position) from jejak_chain)::text as chain_head, (select max(position) from jejak_events)::text as events_head`,
    [],
  );
  const total = Number(counts!.events);
  const chainHead = counts!.chain_head === null ? -1n : BigInt(counts!.chain_head);
  const eventsHead = counts!.events_head === null ? -1n : BigInt(counts!.events_head);
  const upTo = chainHead > eventsHead ? chainHead : eventsHead;
  const sealReader = new SealReader(publicKeyBase64(publicKey));

  // The plan: ranges of whole streams holding about `chunk` events each (from the stream table's
  // revisions; a stream missing there still falls in one of the ranges, which cover every name), and
  // ranges of positions holding `chunk` events each.
  // Chunks are checked as soon as their pass's plan is known, several at once.
  const queue: (() => Promise<void>)[] = [];
  const waiting: (() => void)[] = [];
  let plansLeft = 2;
  let failed = false;
  const planned = (tasks: (() => Promise<void>)[]) => {
    plansLeft--;
    queue.push(...tasks);
    for (const wake of waiting.splice(0)) wake();
  };
  let streamResults: StreamChunk[] = [];
  let globalResults: GlobalChunk[] = [];
  let streamsChecked = 0;
  let globalChecked = 0;
  const streamPlan = db
    .query<{ stream_id: string }>(
      `select min(stream_id) as stream_id from (
         select stream_id, (sum(revision + 1) over (order by stream_id) - (revision + 1))::bigint / $1 as bucket from jejak_streams) x
        group by bucket order by 1`,
      [chunk],
    )
    .then((starts) => {
      const ranges: { from: string | null; to: string | null }[] = starts.map((r, i) => ({
        from: i === 0 ? null : r.stream_id,
        to: starts[i + 1]?.stream_id ?? null,
      }));
      if (ranges.length === 0) ranges.push({ from: null, to: null });
      streamResults = new Array<StreamChunk>(ranges.length);
      planned(
        ranges.map((range, i) => async () => {
          streamResults[i] = await checked(db, (q) => verifyStreamRange(q, range.from, range.to));
          streamsChecked += streamResults[i]!.events;
          onProgress?.({ pass: 'streams', checked: Math.min(streamsChecked, total), total });
        }),
      );
    });
  const globalPlan = db
    .query<{ p: string }>(
      `select position::text as p from (select position, row_number() over (order by position) as rn from jejak_events where position <= $2) x
        where rn % $1 = 0 order by position`,
      [chunk, upTo.toString()],
    )
    .then((rows) => {
      const ends = rows.map((r) => BigInt(r.p)).filter((p) => p < upTo);
      const ranges = [...ends, upTo].map((to, i) => ({ after: i === 0 ? -1n : ends[i - 1]!, to }));
      globalResults = new Array<GlobalChunk>(ranges.length);
      planned(
        ranges.map((range, i) => async () => {
          globalResults[i] = await checked(db, (q) => verifyGlobalRange(q, sealReader, range.after, range.to, chainHead));
          globalChecked += globalResults[i]!.events;
          onProgress?.({ pass: 'global chain', checked: Math.min(globalChecked, total), total });
        }),
      );
    });
  const concurrency = Math.max(1, options.concurrency ?? ('dialect' in db && db.dialect === 'pglite' ? 1 : 4));
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failed) return;
      const task = queue.shift();
      if (task) await task();
      else if (plansLeft === 0) return;
      else await new Promise<void>((wake) => waiting.push(wake));
    }
  };
  try {
    await Promise.all([streamPlan, globalPlan, ...Array.from({ length: concurrency }, worker)]);
  } catch (error) {
    failed = true;
    for (const wake of waiting.splice(0)) wake();
    throw error;
  }

  // Pass 1: the lowest position; a stream whose head does not match (no position) after every other.
  let streamBreak: BrokenLink | null = null;
  for (const r of streamResults) {
    const b = r.firstBreak;
    if (
      b &&
      (!streamBreak || (b.position !== null && (streamBreak.position === null || BigInt(b.position) < BigInt(streamBreak.position))))
    )
      streamBreak = b;
  }
  // Pass 2, in position order: seals before a chunk's first bad row, then that row.
  let globalBreak: BrokenLink | null = null;
  let sealed: VerifyResult['sealed'] = null;
  let seals = 0;
  let chainedUpTo: string | null = null;
  // Where the first break was met, going through the log from its start.
  let metAt: string | null = null;
  for (const r of globalResults) {
    for (const seal of r.seals) {
      if (seal.problem) {
        globalBreak = seal.problem;
        metAt = seal.at;
        break;
      }
      sealed = { position: seal.position, sealedAt: seal.sealedAt, seals: ++seals };
    }
    if (globalBreak) break;
    if (r.firstBreak) {
      globalBreak = r.firstBreak;
      metAt = r.firstBreak.position;
      break;
    }
    if (r.chainedMax !== null) chainedUpTo = r.chainedMax;
  }
  // How far the chain was checked and found intact, however the log was cut into chunks.
  if (metAt !== null) {
    const [before] = await db.query<{ p: string | null }>(`select max(position)::text as p from jejak_chain where position < $1`, [metAt]);
    chainedUpTo = before?.p ?? null;
  }
  const notYetChained = globalResults.reduce((n, r) => n + r.unchained, 0);
  // The last seal may sign a position whose events were all removed since.
  if (!globalBreak) {
    const [lastSeal] = await db.query<{ data: string; position: string }>(
      `select data::text as data, position::text as position from jejak_events where stream_id = $1 and position <= $2 order by revision desc limit 1`,
      [SEAL_STREAM, upTo.toString()],
    );
    if (lastSeal) {
      const seal = JSON.parse(lastSeal.data) as SealData;
      if (BigInt(seal.position) > upTo)
        globalBreak = {
          kind: 'removed',
          position: seal.position,
          streamId: SEAL_STREAM,
          revision: '-',
          detail: 'the log ends before the position its last seal signed',
        };
    }
  }

  const breaks = [streamBreak, globalBreak].filter((b): b is BrokenLink => b !== null);
  // A break with no position (a stream whose head or last events are gone) sorts after those with one.
  const position = (b: BrokenLink) => (b.position === null ? BigInt(Number.MAX_SAFE_INTEGER) ** 2n : BigInt(b.position));
  const firstBreak =
    breaks.sort((a, b) => (position(a) < position(b) ? -1 : position(a) > position(b) ? 1 : a === globalBreak ? -1 : 1))[0] ?? null;
  return {
    intact: firstBreak === null,
    firstBreak,
    events: total,
    streams: Number(counts!.streams),
    chainedUpTo,
    sealed,
    notYetChained,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * A chunk's queries in a transaction of their own where the driver has them, planned without JIT (the
 * compilation costs more than it saves on a chunk) and with room to sort a chunk in memory.
 */
function checked<T>(db: SqlQueryable, fn: (q: SqlQueryable) => Promise<T>): Promise<T> {
  const client = db as Partial<SqlClient>;
  if (typeof client.transaction !== 'function') return fn(db);
  return client.transaction(async (tx) => {
    await tx.query(`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`, []);
    return fn(tx);
  });
}

interface StreamChunk {
  readonly events: number;
  readonly firstBreak: BrokenLink | null;
}

/**
 * Pass 1 over a range of whole streams: each event's link must equal the hash of the stream's previous
 * stored link, its content (as stored) and its place, and revisions must follow each other; then each
 * stream's head (revision and link, kept by the append) against its last event, which catches a removed
 * tail before it was chained and a stream whose events are all gone.
 */
async function verifyStreamRange(db: SqlQueryable, from: string | null, to: string | null): Promise<StreamChunk> {
  // Spelled out for the planner, which walks the stream index only for a plain range.
  const params: string[] = [];
  const range = [
    from === null ? 'true' : `stream_id >= $${params.push(from)}::text`,
    to === null ? 'true' : `stream_id < $${params.push(to)}::text`,
  ].join(' and ');
  const rows = await db.query<{
    what: 'bad' | 'count';
    position: string | null;
    stream_id: string | null;
    revision: string | null;
    expected_revision: string | null;
    stored: boolean | null;
    n: string;
  }>(
    `with x as (
       select e.position, e.stream_id, e.revision, e.hash, e.content, e.at,
              case when lag(e.stream_id) over w = e.stream_id then lag(e.revision) over w + 1 else 0 end as expected_revision,
              case when lag(e.stream_id) over w = e.stream_id then lag(e.hash) over w end as prev
         -- The content is hashed as the rows are read (offset 0 keeps it there), so the sort carries 32 bytes, not the documents.
         from (select position, stream_id, revision, hash,
                      sha256(convert_to(lower(id::text) || E'\\n' || type || E'\\n' || data::text || E'\\n' || metadata::text, 'UTF8')) as content,
                      to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
                 from jejak_events where ${range} offset 0) e
       window w as (order by e.stream_id, e.revision)),
     y as (
       select position, stream_id, revision, hash, expected_revision,
              revision <> expected_revision or hash is null
                or hash <> sha256(coalesce(prev, ''::bytea) || content || convert_to(stream_id || E'\\n' || revision::text || E'\\n' || at, 'UTF8')) as bad
         from x)
     (select 'bad' as what, position::text as position, stream_id, revision::text as revision, expected_revision::text as expected_revision,
             hash is not null as stored, '0' as n
        from y where bad order by position limit 1)
     union all
     select 'count', null, null, null, null, null, count(*)::text from y`,
    params,
  );
  const bad = rows.find((r) => r.what === 'bad');
  const events = Number(rows.find((r) => r.what === 'count')?.n ?? 0);
  let firstBreak: BrokenLink | null = null;
  if (bad) {
    const where = { position: bad.position!, streamId: bad.stream_id! };
    if (bad.revision !== bad.expected_revision && BigInt(bad.revision!) > BigInt(bad.expected_revision!))
      firstBreak = {
        kind: 'removed',
        ...where,
        revision: bad.expected_revision!,
        detail: `revision ${bad.expected_revision} is missing before revision ${bad.revision}`,
      };
    else if (bad.revision !== bad.expected_revision)
      firstBreak = {
        kind: 'reordered',
        ...where,
        revision: bad.revision!,
        detail: `revision ${bad.revision} comes where revision ${bad.expected_revision} should`,
      };
    else
      firstBreak = {
        kind: 'modified',
        ...where,
        revision: bad.revision!,
        detail: bad.stored ? 'its content, time or place no longer hashes to its link' : 'its link hash is gone',
      };
  }
  if (firstBreak) return { events, firstBreak };
  const [head] = await db.query<{ stream_id: string; revision: string; last_revision: string | null }>(
    `select s.stream_id, s.revision::text as revision, l.revision::text as last_revision
       from jejak_streams s left join lateral (select e.revision, e.hash from jejak_events e where e.stream_id = s.stream_id order by e.revision desc limit 1) l on true
      where ${range.replaceAll('stream_id', 's.stream_id')}
        and (l.revision is null or l.revision <> s.revision or (s.head_hash is not null and l.hash is distinct from s.head_hash))
      order by s.stream_id limit 1`,
    params,
  );
  if (!head) return { events, firstBreak: null };
  const lastRevision = head.last_revision === null ? -1n : BigInt(head.last_revision);
  return {
    events,
    firstBreak: {
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
    },
  };
}

interface GlobalChunk {
  readonly events: number;
  readonly firstBreak: BrokenLink | null;
  /** The chunk's seals before its first bad row, in position order, each checked (problem when it fails). */
  readonly seals: readonly {
    readonly at: string;
    readonly position: string;
    readonly sealedAt: string;
    readonly problem: BrokenLink | null;
  }[];
  readonly chainedMax: string | null;
  readonly unchained: number;
}

/**
 * Pass 2 over the positions in (after, to]: the events and the chain rows side by side in position order,
 * each global link checked against the stored previous one (for the range's first row, the last chain row
 * before the range). Back come the chunk's earliest bad row, its seals (their signatures are checked
 * here, each against the seal key in effect where it stands: see key-chain.ts) and its counts.
 */
async function verifyGlobalRange(
  db: SqlQueryable,
  verdicts: SealReader,
  after: bigint,
  to: bigint,
  chainHead: bigint,
): Promise<GlobalChunk> {
  type Row = {
    what: 'bad' | 'seal' | 'count';
    position: string | null;
    stream_id: string | null;
    revision: string | null;
    c_stream: string | null;
    c_revision: string | null;
    seal: string | null;
    n: string;
    unchained: string;
    chained_max: string | null;
  };
  const rows = await db.query<Row>(
    `with e as (select position, stream_id, revision, hash, case when stream_id = $3 then data::text end as seal
                  from jejak_events where position > $1 and position <= $2),
          c as (select position, stream_id, revision, global_hash from jejak_chain where position > $1 and position <= $2),
          w as (select coalesce(e.position, c.position) as position, e.stream_id, e.revision, e.hash, e.seal,
                       c.stream_id as c_stream, c.revision as c_revision, c.global_hash,
                       coalesce(lag(c.global_hash) over o,
                                (select global_hash from jejak_chain p where p.position <= $1 order by p.position desc limit 1)) as prev_global
                  from e full join c on c.position = e.position
                window o as (order by coalesce(e.position, c.position))),
          v as (select *, stream_id is null
                        or (c_stream is null and position <= $4)
                        or (c_stream is not null and (c_stream <> stream_id or c_revision <> revision
                            or global_hash <> sha256(coalesce(prev_global, ''::bytea) || coalesce(hash, '\\x'::bytea) || int8send(position)))) as bad
                  from w)
     (select 'bad' as what, position::text as position, stream_id, revision::text as revision, c_stream, c_revision::text as c_revision,
             null as seal, '0' as n, '0' as unchained, null as chained_max
        from v where bad order by position limit 1)
     union all
     select 'seal', position::text, stream_id, revision::text, null, null, seal, '0', '0', null from v where seal is not null
     union all
     select 'count', null, null, null, null, null, null, count(stream_id)::text,
            count(*) filter (where stream_id is not null and c_stream is null and position > $4)::text,
            max(position) filter (where c_stream is not null)::text
       from v`,
    [after.toString(), to.toString(), SEAL_STREAM, chainHead.toString()],
  );
  const count = rows.find((r) => r.what === 'count')!;
  const bad = rows.find((r) => r.what === 'bad');
  const seals: { at: string; position: string; sealedAt: string; problem: BrokenLink | null }[] = [];
  // Seals before the chunk's first bad row: the signature, and the head it signed.
  for (const row of rows
    .filter((r) => r.what === 'seal' && (!bad || BigInt(r.position!) < BigInt(bad.position!)))
    .sort((a, b) => (BigInt(a.position!) < BigInt(b.position!) ? -1 : 1))) {
    const seal = JSON.parse(row.seal!) as SealData;
    let problem: BrokenLink | null = null;
    const signature = await verdicts.verdict(row.position!, db);
    if (signature !== null) {
      problem = { kind: 'bad_signature', position: row.position, streamId: row.stream_id!, revision: row.revision!, detail: signature };
    } else {
      const [at] = await db.query<{ global_hash: Buffer | Uint8Array }>(`select global_hash from jejak_chain where position = $1`, [
        seal.position,
      ]);
      if (!at || bytes(at.global_hash)!.toString('hex') !== seal.globalHash)
        problem = {
          kind: at ? 'modified' : 'removed',
          position: seal.position,
          streamId: row.stream_id!,
          revision: row.revision!,
          detail: 'the log no longer hashes to what this seal signed',
        };
    }
    seals.push({ at: row.position!, position: seal.position, sealedAt: seal.sealedAt, problem });
    if (problem) break;
  }
  let firstBreak: BrokenLink | null = null;
  if (bad) {
    if (bad.stream_id === null)
      firstBreak = {
        kind: 'removed',
        position: bad.position,
        streamId: bad.c_stream!,
        revision: bad.c_revision!,
        detail: 'a chained event is gone',
      };
    else if (bad.c_stream === null)
      firstBreak = {
        kind: 'inserted',
        position: bad.position,
        streamId: bad.stream_id,
        revision: bad.revision!,
        detail: 'an event stands where none was chained',
      };
    else if (bad.c_stream !== bad.stream_id || bad.c_revision !== bad.revision)
      firstBreak = {
        kind: 'reordered',
        position: bad.position,
        streamId: bad.stream_id,
        revision: bad.revision!,
        detail: `the chain has ${bad.c_stream} revision ${bad.c_revision} at this position`,
      };
    else
      firstBreak = {
        kind: 'modified',
        position: bad.position,
        streamId: bad.stream_id,
        revision: bad.revision!,
        detail: 'the global chain does not match the events up to here',
      };
  }
  return { events: Number(count.n), firstBreak, seals, chainedMax: count.chained_max, unchained: Number(count.unchained) };
}

/**
 * The seals' verdicts, read once from the seal stream as a whole (a chunk sees only its own seals, and the
 * key in effect depends on every rotation before). A seal committed after the first read is met by one
 * read more.
 */
class SealReader {
  private read?: Promise<Map<string, string | null>>;
  private reread = false;

  constructor(private readonly trusted: string) {}

  /** Read through the chunk's own transaction (`q`): the embedded store runs one transaction at a time. */
  async verdict(at: string, q: SqlQueryable): Promise<string | null> {
    this.read ??= this.load(q);
    let verdicts = await this.read;
    if (!verdicts.has(at) && !this.reread) {
      this.reread = true;
      this.read = this.load(q);
      verdicts = await this.read;
    }
    return verdicts.has(at) ? verdicts.get(at)! : `the seal at position ${at} is not in the seal stream`;
  }

  private async load(q: SqlQueryable): Promise<Map<string, string | null>> {
    const rows = await q.query<{ at: string; data: string }>(
      `select position::text as at, data::text as data from jejak_events where stream_id = $1 order by revision`,
      [SEAL_STREAM],
    );
    return sealVerdicts(
      rows.map((r) => ({ at: r.at, seal: JSON.parse(r.data) as SealData })),
      this.trusted,
    );
  }
}

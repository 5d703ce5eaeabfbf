import { linkHash } from '../integrity';
import type { Migration } from './migrations';
import type { SqlQueryable } from './sql-client';

/**
 * Global positions are `transaction id * 2^20 + index within the append`.
 *
 * Why not a sequence: sequence values are taken before commit, so transactions commit out of sequence order
 * and a reader that trusts `position > checkpoint` skips the late committer for good. Here every position
 * carries its transaction id, and readers only return events whose transaction id is below the xmin of
 * their snapshot (`pg_snapshot_xmin(pg_current_snapshot())`): every transaction below it has finished, and
 * every future transaction gets a larger id, so the set of events below that bound can never change again.
 * Readers see a stable, gap-tolerant, strictly increasing prefix of the log, and writers never wait on each
 * other (no global counter row to serialise on). The cost: a long-running writing transaction anywhere in
 * the cluster delays (never loses) what subscribers see. 2^20 events per append is far above the batch limit.
 */
export const POSITION_TX_SHIFT = 1048576n; // 2^20

/**
 * The append function (migration 2), and with `withOffset` its form for appends to several streams in one
 * transaction (migration 3): each call's positions start at its offset within the transaction, so that the
 * events of every stream of the transaction get distinct positions in append order.
 */
function appendFunction(withOffset: boolean): string {
  return `
      create function jejak_append(
        p_stream text, p_expected text, p_ids uuid[], p_types text[], p_data text[], p_metadata text[], p_chain boolean${withOffset ? ', p_offset integer' : ''}
      ) returns table (next_revision text, last_position text)
      language plpgsql as $fn$
      declare
        v_count integer := cardinality(p_ids);
        v_new bigint;
        v_prev bytea;
        v_actual bigint;
        v_base bigint;
        v_at timestamptz := date_trunc('milliseconds', now());
        v_at_text text := to_char(date_trunc('milliseconds', now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        v_hashes bytea[] := null;
        i integer;
      begin
        if p_expected = 'no_stream' then
          insert into jejak_streams as s (stream_id, revision) values (p_stream, v_count - 1)
            on conflict (stream_id) do nothing
            returning s.revision, s.head_hash into v_new, v_prev;
        elsif p_expected = 'any' then
          insert into jejak_streams as s (stream_id, revision) values (p_stream, v_count - 1)
            on conflict (stream_id) do update set revision = s.revision + v_count
            returning s.revision, s.head_hash into v_new, v_prev;
        elsif p_expected = 'stream_exists' then
          update jejak_streams s set revision = s.revision + v_count
            where s.stream_id = p_stream
            returning s.revision, s.head_hash into v_new, v_prev;
        else
          update jejak_streams s set revision = s.revision + v_count
            where s.stream_id = p_stream and s.revision = p_expected::bigint
            returning s.revision, s.head_hash into v_new, v_prev;
        end if;

        if v_new is null then
          select s.revision into v_actual from jejak_streams s where s.stream_id = p_stream;
          raise exception using
            errcode = 'JJ001',
            message = 'wrong expected revision',
            detail = coalesce(v_actual::text, 'no_stream');
        end if;

        if p_chain then
          v_hashes := array[]::bytea[];
          for i in 1 .. v_count loop
            v_prev := sha256(coalesce(v_prev, ''::bytea)
              || sha256(convert_to(lower(p_ids[i]::text) || E'\n' || p_types[i] || E'\n' || p_data[i]::jsonb::text || E'\n' || p_metadata[i]::jsonb::text, 'UTF8'))
              || convert_to(p_stream || E'\n' || (v_new - v_count + i)::text || E'\n' || v_at_text, 'UTF8'));
            v_hashes := v_hashes || v_prev;
          end loop;
          update jejak_streams set head_hash = v_prev where stream_id = p_stream;
        end if;

        v_base := pg_current_xact_id()::text::bigint * ${POSITION_TX_SHIFT};
        insert into jejak_events (position, stream_id, revision, id, type, data, metadata, recorded_at, hash)
          select v_base${withOffset ? ' + p_offset' : ''} + e.ord - 1, p_stream, v_new - v_count + e.ord, e.id, e.type, e.data::jsonb, e.metadata::jsonb, v_at,
                 case when v_hashes is null then null else v_hashes[e.ord] end
          from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as e(id, type, data, metadata, ord);

        return query select v_new::text, (v_base${withOffset ? ' + p_offset' : ''} + v_count - 1)::text;
      end
      $fn$;
`;
}

export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'streams, events and the append function',
    sql: `
      create table jejak_streams (
        stream_id text primary key,
        revision bigint not null
      );

      create table jejak_events (
        position bigint primary key,
        stream_id text not null,
        revision bigint not null,
        id uuid not null,
        type text not null,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null default now(),
        constraint jejak_events_stream_revision unique (stream_id, revision),
        constraint jejak_events_id unique (id)
      );

      -- Appends one batch atomically. Raises JJ001 (detail: the actual revision or 'no_stream') when the
      -- expected revision does not hold; the caller then checks for an idempotent repeat.
      create function jejak_append(
        p_stream text, p_expected text, p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
      ) returns table (next_revision text, last_position text)
      language plpgsql as $fn$
      declare
        v_count integer := cardinality(p_ids);
        v_new bigint;
        v_actual bigint;
        v_base bigint;
      begin
        if p_expected = 'no_stream' then
          insert into jejak_streams as s (stream_id, revision) values (p_stream, v_count - 1)
            on conflict (stream_id) do nothing
            returning s.revision into v_new;
        elsif p_expected = 'any' then
          insert into jejak_streams as s (stream_id, revision) values (p_stream, v_count - 1)
            on conflict (stream_id) do update set revision = s.revision + v_count
            returning s.revision into v_new;
        elsif p_expected = 'stream_exists' then
          update jejak_streams s set revision = s.revision + v_count
            where s.stream_id = p_stream
            returning s.revision into v_new;
        else
          update jejak_streams s set revision = s.revision + v_count
            where s.stream_id = p_stream and s.revision = p_expected::bigint
            returning s.revision into v_new;
        end if;

        if v_new is null then
          select s.revision into v_actual from jejak_streams s where s.stream_id = p_stream;
          raise exception using
            errcode = 'JJ001',
            message = 'wrong expected revision',
            detail = coalesce(v_actual::text, 'no_stream');
        end if;

        v_base := pg_current_xact_id()::text::bigint * ${POSITION_TX_SHIFT};
        insert into jejak_events (position, stream_id, revision, id, type, data, metadata)
          select v_base + e.ord - 1, p_stream, v_new - v_count + e.ord, e.id, e.type, e.data::jsonb, e.metadata::jsonb
          from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as e(id, type, data, metadata, ord);

        return query select v_new::text, (v_base + v_count - 1)::text;
      end
      $fn$;
    `,
  },
  {
    version: 2,
    name: 'integrity chain: a link hash per event, chained per stream in the append',
    sql: `
      alter table jejak_streams add column head_hash bytea;
      alter table jejak_events add column hash bytea;
      -- The hash spells commit times to the millisecond; earlier events are brought to the same precision.
      update jejak_events set recorded_at = date_trunc('milliseconds', recorded_at);

      drop function jejak_append(text, text, uuid[], text[], text[], text[]);

      -- As version 1, and: the commit time is kept to the millisecond (what the hash spells), and with
      -- p_chain every event gets its link hash: its content hash (over id, type and the jsonb text of its
      -- data and metadata) chained to the stream's previous link (see integrity.ts). p_chain false writes
      -- unchained events: only the benchmark does, to measure what the chain costs.
${appendFunction(false)}    `,
    // Events written before the chain existed get their links now, in each stream's order.
    run: backfillLinks,
  },
  {
    version: 3,
    name: 'appends to several streams in one transaction',
    sql: `${appendFunction(true)}`,
  },
];

async function backfillLinks(tx: SqlQueryable): Promise<void> {
  // In each stream's revision order, which is not always position order (two appends to one stream can
  // take transaction ids in the opposite order of the row lock that orders their revisions).
  let after: [string, string] = ['', '-1'];
  let stream: string | undefined;
  let head: Buffer | null = null;
  for (;;) {
    const rows = await tx.query<{
      position: string;
      stream_id: string;
      revision: string;
      content: Buffer | Uint8Array;
      recorded_at: Date | string;
    }>(
      `select position::text as position, stream_id, revision::text as revision, recorded_at,
              sha256(convert_to(lower(id::text) || E'\\n' || type || E'\\n' || data::text || E'\\n' || metadata::text, 'UTF8')) as content
         from jejak_events e where (e.stream_id, e.revision) > ($1, $2::bigint) order by e.stream_id, e.revision limit 5000`,
      after,
    );
    if (rows.length === 0) break;
    const positions: string[] = [];
    const hashes: Buffer[] = [];
    for (const r of rows) {
      if (r.stream_id !== stream) {
        if (stream !== undefined) await tx.query(`update jejak_streams set head_hash = $2 where stream_id = $1`, [stream, head]);
        stream = r.stream_id;
        head = null;
      }
      head = linkHash(
        head,
        Buffer.from(r.content),
        r.stream_id,
        BigInt(r.revision),
        r.recorded_at instanceof Date ? r.recorded_at : new Date(r.recorded_at),
      );
      positions.push(r.position);
      hashes.push(head);
    }
    await tx.query(
      `update jejak_events e set hash = u.hash from unnest($1::bigint[], $2::bytea[]) as u(position, hash) where e.position = u.position`,
      [positions, hashes],
    );
    const last = rows[rows.length - 1]!;
    after = [last.stream_id, last.revision];
  }
  if (stream !== undefined) await tx.query(`update jejak_streams set head_hash = $2 where stream_id = $1`, [stream, head]);
}

import type { Migration } from './migrations';

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
];

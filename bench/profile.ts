/**
 * `npm run bench -- profile [--seconds N]`: where one append's time goes on PostgreSQL.
 *
 * One writer, one event per call (the 1-writer row of `peers`), each probe in turn on one connection so that
 * they differ only in what they do: a bare round trip (`select 1`), the plain INSERT of the same row (the
 * baseline), `jejak_append` without and with the integrity chain, the same with the commit's WAL flush
 * turned off for the session (what the flush costs), and the store's whole `append` (validation, JSON, the
 * event MAC, the pool) beside it. From `pg_stat_user_functions` it adds the time spent inside the plpgsql
 * function. Prints p50 and mean per call and each probe as a ratio of the round trip and of the baseline.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { openEventStore } from '@jejak/event-store';
import { Client } from 'pg';

import { argSeconds, benchTargets, progress, table } from './support';

const data = JSON.stringify({ action: 'ReferralMadeToEmbassy', embassy: 'KBRI Kuala Lumpur', note: 'x'.repeat(120), amount: 1250000 });
const metadata = JSON.stringify({ actorId: 'officer-1', role: 'officer', scope: ['village:3201012001'], correlationId: randomUUID() });

interface Probe {
  readonly label: string;
  readonly run: (i: number) => Promise<unknown>;
}

let calls = 0;

/** Latencies (ms) of `run` called one after another for `seconds`. */
async function measure(seconds: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const started = performance.now();
    await run(calls++); // numbered across passes: every append opens a stream of its own
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const p50 = (times: readonly number[]): number => times[Math.floor(times.length / 2)]!;
const mean = (times: readonly number[]): number => times.reduce((s, t) => s + t, 0) / times.length;

export async function profileBenchmark(args: readonly string[]): Promise<void> {
  const seconds = argSeconds(args, 3);
  const targets = await benchTargets();
  for (const other of targets.filter((t) => t.name !== 'postgres')) await other.dispose();
  const target = targets.find((t) => t.name === 'postgres');
  if (!target || target.config.kind !== 'postgres') {
    process.stderr.write('profile needs PostgreSQL (TEST_DATABASE_URL or BENCH_DATABASE_URL)\n');
    process.exit(2);
  }
  const opened = await openEventStore(target.config, { macKey: randomBytes(32) });
  const client = new Client({ connectionString: target.config.connectionString });
  await client.connect();
  try {
    await client.query(`create table bench_baseline (
      position bigserial primary key, stream_id text not null, revision bigint not null, id uuid not null unique,
      type text not null, data jsonb not null, metadata jsonb not null, recorded_at timestamptz not null default now())`);
    await client.query(`set track_functions = 'pl'`); // a superuser's setting: the function's own time
    const tag = randomBytes(3).toString('hex');
    const append = (chain: boolean, prefix: string) => (i: number) =>
      client.query(`select * from jejak_append($1, 'no_stream', $2::uuid[], $3::text[], $4::text[], $5::text[], $6)`, [
        `${prefix}-${tag}-${i}`,
        [randomUUID()],
        ['ReferralMadeToEmbassy'],
        [data],
        [metadata],
        chain,
      ]);
    const insert = (i: number) =>
      client.query(
        `insert into bench_baseline (stream_id, revision, id, type, data, metadata) values ($1, 0, $2, 'ReferralMadeToEmbassy', $3::jsonb, $4::jsonb)`,
        [`base-${tag}-${i}`, randomUUID(), data, metadata],
      );
    const probes: Probe[] = [
      { label: 'round trip (select 1)', run: () => client.query('select 1') },
      { label: 'plain INSERT (baseline)', run: insert },
      { label: 'jejak_append, no chain', run: append(false, 'nochain') },
      { label: 'jejak_append, chained', run: append(true, 'chain') },
      {
        label: 'store.append (validation, MAC, pool)',
        run: (i) =>
          opened.store.append(
            `store-${tag}-${i}`,
            [{ type: 'ReferralMadeToEmbassy', data: JSON.parse(data), metadata: JSON.parse(metadata) }],
            {
              expectedRevision: 'no_stream',
            },
          ),
      },
    ];
    const results = new Map<string, number[]>();
    const passes = 3;
    for (let pass = 1; pass <= passes; pass++) {
      for (const probe of probes) {
        progress(`pass ${pass}/${passes}: ${probe.label}`);
        results.set(probe.label, [...(results.get(probe.label) ?? []), ...(await measure(seconds, probe.run))]);
      }
    }
    // The commit's WAL flush: the same calls with synchronous_commit off for this session.
    await client.query('set synchronous_commit = off');
    for (const [label, run] of [
      ['plain INSERT, no commit flush', insert],
      ['jejak_append chained, no commit flush', append(true, 'async')],
    ] as const) {
      progress(label);
      results.set(label, await measure(seconds, run));
    }
    await client.query('set synchronous_commit = on');
    // The function's own time, once the statistics are flushed (at most a second after the session idles).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [fn] = (
      await client.query<{ calls: string; self_ms: string }>(
        `select calls::text, (self_time / nullif(calls, 0))::text as self_ms from pg_stat_user_functions where funcname = 'jejak_append'`,
      )
    ).rows;
    const sorted = new Map([...results].map(([label, times]) => [label, times.sort((a, b) => a - b)]));
    const trip = p50(sorted.get('round trip (select 1)')!);
    const base = p50(sorted.get('plain INSERT (baseline)')!);
    const rows = [...sorted].map(([label, times]) => [
      label,
      times.length.toLocaleString('en-US'),
      p50(times).toFixed(3),
      mean(times).toFixed(3),
      (p50(times) / trip).toFixed(2),
      (p50(times) / base).toFixed(2),
    ]);
    process.stdout.write(
      `\nPostgreSQL, 1 writer, 1 event per call, ${passes} passes of ${seconds} s taken in turns; latencies in ms\n\n${table(
        ['probe', 'calls', 'p50', 'mean', '× round trip', '× baseline'],
        rows,
      )}\n\ninside jejak_append (pg_stat_user_functions, every call above): ${Number(fn?.self_ms ?? NaN).toFixed(3)} ms per call over ${fn?.calls ?? 0} calls\n`,
    );
  } finally {
    await client.end();
    await opened.close();
    await target.dispose();
  }
}

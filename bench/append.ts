import { randomUUID } from 'node:crypto';

import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { clientConnectionString, openEventStore, type SqlClient } from '@jejak/event-store';

import { argSeconds, benchTargets, progress, rate, runFor, table } from './support';

/** An event about the size of a real one: a case action with a few fields and full metadata. */
const data = { action: 'ReferralMadeToEmbassy', embassy: 'KBRI Kuala Lumpur', note: 'x'.repeat(120), amount: 1250000 };
const metadata = { actorId: 'officer-1', role: 'officer', scope: ['village:3201012001'], correlationId: randomUUID(), schemaVersion: 1 };
const dataJson = JSON.stringify(data);
const metadataJson = JSON.stringify(metadata);

const BASELINE_TABLE = `
  create table if not exists bench_baseline (
    position bigserial primary key, stream_id text not null, revision bigint not null, id uuid not null unique,
    type text not null, data jsonb not null, metadata jsonb not null, recorded_at timestamptz not null default now())`;

/** The baseline: plain INSERTs of equally sized rows, through the same driver, pool and durability. */
function baselineInsert(db: SqlClient, rows: number, stream: string, from: number): Promise<unknown> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    const p = params.length;
    values.push(`($${p + 1}, $${p + 2}, $${p + 3}, 'ReferralMadeToEmbassy', $${p + 4}::jsonb, $${p + 5}::jsonb)`);
    params.push(stream, from + i, randomUUID(), dataJson, metadataJson);
  }
  return db.query(`insert into bench_baseline (stream_id, revision, id, type, data, metadata) values ${values.join(', ')}`, params);
}

export async function appendBenchmark(args: readonly string[]): Promise<void> {
  const seconds = argSeconds(args, 3);
  const scenarios = [
    { label: 'single-event appends, 1 writer', writers: 1, batch: 1 },
    { label: 'single-event appends, 4 writers', writers: 4, batch: 1 },
    { label: 'single-event appends, 16 writers', writers: 16, batch: 1 },
    { label: '100-event batches, 1 writer', writers: 1, batch: 100 },
    { label: '100-event batches, 4 writers', writers: 4, batch: 100 },
  ];
  const rows: string[][] = [];
  process.stderr.write(`append benchmark: ${seconds}s per measurement, Jejak append vs plain INSERT baseline\n`);
  for (const target of await benchTargets()) {
    const { store, db, close } = await openEventStore(target.config);
    try {
      await db.exec(BASELINE_TABLE);
      for (const s of scenarios) {
        // Each writer appends to its own streams (a new one every 50 appends), as officers on different cases do.
        const revisions = new Map<string, bigint>();
        const streamOf = (w: number, i: number) => `bench-${w}-${Math.floor(i / 50)}-${s.batch}-${s.writers}`;
        const events = Array.from({ length: s.batch }, () => ({ type: 'ReferralMadeToEmbassy', data, metadata }));
        progress(`${target.name}: ${s.label}: jejak`);
        const jejakOps = await runFor(seconds, s.writers, async (w, i) => {
          const stream = `${streamOf(w, i)}-${target.name}-${process.pid}`;
          const expected = revisions.get(stream);
          const result = await store.append(
            stream,
            events.map((e) => ({ ...e, id: randomUUID() })),
            {
              expectedRevision: expected === undefined ? 'no_stream' : expected,
            },
          );
          revisions.set(stream, result.nextExpectedRevision);
        });
        progress(`${target.name}: ${s.label}: baseline`);
        const baseOps = await runFor(seconds, s.writers, async (w, i) => {
          await baselineInsert(db, s.batch, streamOf(w, i), i * s.batch);
        });
        const jejak = (jejakOps * s.batch) / seconds;
        const base = (baseOps * s.batch) / seconds;
        rows.push([target.name, s.label, rate(jejak), rate(base), (jejak / base).toFixed(2)]);
      }
    } finally {
      await close();
      await target.dispose();
    }
  }
  const kurrent = process.env.EVENTSTORE_CONNECTION_STRING;
  if (kurrent) rows.push(...(await kurrentRows(kurrent, scenarios, seconds)));
  else process.stderr.write('EVENTSTORE_CONNECTION_STRING not set: no KurrentDB column (see README, "Running at scale")\n');
  process.stdout.write(`\n${table(['store', 'scenario', 'jejak ev/s', 'baseline ev/s', 'ratio'], rows)}\n`);
  if (kurrent)
    process.stdout.write(
      'kurrentdb baseline: the bare client appending the same events with expected revision any (no tail read, no chain)\n',
    );
}

/**
 * KurrentDB, when a server is configured: the adapter (tail read, revision and id checks, stream chain)
 * against the bare client appending the same events with no checks, on the same server in the same run.
 */
async function kurrentRows(
  connectionString: string,
  scenarios: readonly { label: string; writers: number; batch: number }[],
  seconds: number,
): Promise<string[][]> {
  const rows: string[][] = [];
  const { store, close } = await openEventStore({
    kind: 'kurrentdb',
    connectionString,
    readModels: { kind: 'pglite', dataDir: undefined },
  });
  const client = EventStoreDBClient.connectionString(clientConnectionString(connectionString));
  const run = `${process.pid}-${Date.now()}`;
  try {
    for (const s of scenarios) {
      const revisions = new Map<string, bigint>();
      const streamOf = (w: number, i: number) => `bench-${w}-${Math.floor(i / 50)}-${s.batch}-${s.writers}-${run}`;
      const events = Array.from({ length: s.batch }, () => ({ type: 'ReferralMadeToEmbassy', data, metadata }));
      progress(`kurrentdb: ${s.label}: jejak`);
      const jejakOps = await runFor(seconds, s.writers, async (w, i) => {
        const stream = `${streamOf(w, i)}-j`;
        const expected = revisions.get(stream);
        const result = await store.append(
          stream,
          events.map((e) => ({ ...e, id: randomUUID() })),
          { expectedRevision: expected === undefined ? 'no_stream' : expected },
        );
        revisions.set(stream, result.nextExpectedRevision);
      });
      progress(`kurrentdb: ${s.label}: baseline`);
      const baseOps = await runFor(seconds, s.writers, async (w, i) => {
        await client.appendToStream(
          `${streamOf(w, i)}-b`,
          events.map((e) => jsonEvent({ type: e.type, data: e.data, metadata: e.metadata })),
          { expectedRevision: 'any' },
        );
      });
      const jejak = (jejakOps * s.batch) / seconds;
      const base = (baseOps * s.batch) / seconds;
      rows.push(['kurrentdb', s.label, rate(jejak), rate(base), (jejak / base).toFixed(2)]);
    }
  } finally {
    await client.dispose();
    await close();
  }
  return rows;
}

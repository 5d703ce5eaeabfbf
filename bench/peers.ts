/**
 * `npm run bench -- peers [--passes N] [--seconds S]`: Jejak's append side by side with its anchors, in one run
 * on one machine, the same event (the append benchmark's, about 360 bytes of data and metadata):
 *
 * - on PostgreSQL: plain INSERTs of the same rows through the same driver and pool (the baseline), Emmett's
 *   PostgreSQL event store (@event-driven-io/emmett-postgresql, a devDependency used only here, on a pg pool
 *   of the same size) and Jejak's PostgreSQL adapter, each in a database of its own;
 * - embedded: plain inserts into PGlite (the baseline) and Jejak's PGlite adapter.
 *
 * Workloads: single events from 1, 4 and 16 writers, and 100-event batches from 4 writers; each writer
 * appends to streams of its own (a new one every 50 appends), with the expected revision, as officers on
 * different records do. Contenders take turns within each pass (so drift on a noisy machine hits all of
 * them); the table gives the median events per second over the passes and the ratios.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';

import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { openEventStore, type SqlClient } from '@jejak/event-store';
import { Client, Pool } from 'pg';

import { benchTargets, progress, rate, runFor, table } from './support';

const data = { action: 'ReferralMadeToEmbassy', embassy: 'KBRI Kuala Lumpur', note: 'x'.repeat(120), amount: 1250000 };
const metadata = { actorId: 'officer-1', role: 'officer', scope: ['village:3201012001'], correlationId: randomUUID(), schemaVersion: 1 };
const dataJson = JSON.stringify(data);
const metadataJson = JSON.stringify(metadata);
const POOL = 20;

const BASELINE_TABLE = `
  create table if not exists bench_baseline (
    position bigserial primary key, stream_id text not null, revision bigint not null, id uuid not null unique,
    type text not null, data jsonb not null, metadata jsonb not null, recorded_at timestamptz not null default now())`;

interface Workload {
  readonly label: string;
  readonly writers: number;
  readonly batch: number;
}
const WORKLOADS: readonly Workload[] = [
  { label: 'single events, 1 writer', writers: 1, batch: 1 },
  { label: 'single events, 4 writers', writers: 4, batch: 1 },
  { label: 'single events, 16 writers', writers: 16, batch: 1 },
  { label: '100-event batches, 4 writers', writers: 4, batch: 100 },
];

/** Appends `batch` events to the writer's current stream; resolves when they are durable. */
type Append = (stream: string, batch: number) => Promise<void>;

function baseline(db: SqlClient): Append {
  const revisions = new Map<string, number>();
  return async (stream, batch) => {
    const from = revisions.get(stream) ?? 0;
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = 0; i < batch; i++) {
      const p = params.length;
      values.push(`($${p + 1}, $${p + 2}, $${p + 3}, 'ReferralMadeToEmbassy', $${p + 4}::jsonb, $${p + 5}::jsonb)`);
      params.push(stream, from + i, randomUUID(), dataJson, metadataJson);
    }
    await db.query(`insert into bench_baseline (stream_id, revision, id, type, data, metadata) values ${values.join(', ')}`, params);
    revisions.set(stream, from + batch);
  };
}

function jejak(store: Awaited<ReturnType<typeof openEventStore>>['store']): Append {
  const revisions = new Map<string, bigint>();
  return async (stream, batch) => {
    const expected = revisions.get(stream);
    const result = await store.append(
      stream,
      Array.from({ length: batch }, () => ({ id: randomUUID(), type: 'ReferralMadeToEmbassy', data, metadata })),
      { expectedRevision: expected === undefined ? 'no_stream' : expected },
    );
    revisions.set(stream, result.nextExpectedRevision);
  };
}

function emmett(store: ReturnType<typeof getPostgreSQLEventStore>): Append {
  const versions = new Map<string, bigint>();
  return async (stream, batch) => {
    const expected = versions.get(stream);
    const result = await store.appendToStream(
      stream,
      Array.from({ length: batch }, () => ({ type: 'ReferralMadeToEmbassy', data, metadata })),
      expected === undefined ? {} : { expectedStreamVersion: expected },
    );
    versions.set(stream, result.nextExpectedStreamVersion);
  };
}

async function measure(name: string, append: Append, w: Workload, seconds: number, pass: number): Promise<number> {
  const ops = await runFor(seconds, w.writers, (writer, i) =>
    append(`bench-${name}-${pass}-${w.writers}-${w.batch}-${writer}-${Math.floor(i / 50)}`, w.batch),
  );
  return (ops * w.batch) / seconds;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const numberArg = (args: readonly string[], name: string, fallback: number, max: number): number => {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
};

export async function peersBenchmark(args: readonly string[]): Promise<void> {
  const passes = numberArg(args, '--passes', 3, 20);
  const seconds = numberArg(args, '--seconds', 3, 60);
  const targets = await benchTargets();
  const rows: string[][] = [];
  let serverVersion = 'no PostgreSQL';
  try {
    for (const target of targets) {
      const { store, db, close } = await openEventStore(target.config);
      await db.exec(BASELINE_TABLE);
      const contenders: [string, Append][] = [
        ['baseline', baseline(db)],
        ['jejak', jejak(store)],
      ];
      let peer: { close(): Promise<void> } | undefined;
      if (target.config.kind === 'postgres') {
        // Emmett in a database of its own (its schema is created on first append), on a pool of the same size.
        const url = new URL(target.config.connectionString);
        const name = `${url.pathname.slice(1)}_emmett`;
        const admin = new Client({ connectionString: target.config.connectionString });
        await admin.connect();
        serverVersion = String((await admin.query('show server_version')).rows[0].server_version);
        await admin.query(`create database ${name}`);
        await admin.end();
        url.pathname = `/${name}`;
        const pool = new Pool({ connectionString: url.toString(), max: POOL });
        const emmettStore = getPostgreSQLEventStore(url.toString(), { connectionOptions: { pooled: true, pool } });
        await emmettStore.appendToStream('warm-up', [{ type: 'WarmedUp', data: {} }]);
        contenders.splice(1, 0, ['emmett', emmett(emmettStore)]);
        peer = {
          close: async () => {
            await emmettStore.close();
            await pool.end().catch(() => undefined);
            const c = new Client({ connectionString: target.config.kind === 'postgres' ? target.config.connectionString : '' });
            await c.connect();
            await c.query(`drop database if exists ${name} with (force)`);
            await c.end();
          },
        };
      }
      try {
        for (const w of WORKLOADS) {
          const results = new Map<string, number[]>(contenders.map(([n]) => [n, []]));
          for (let pass = 0; pass < passes; pass++) {
            for (const [contender, append] of contenders) {
              progress(`${target.name}: ${w.label}: ${contender}, pass ${pass + 1} / ${passes}`);
              results.get(contender)!.push(await measure(contender, append, w, seconds, pass));
            }
          }
          const m = (n: string) => median(results.get(n)!);
          const base = m('baseline');
          const mine = m('jejak');
          const other = results.has('emmett') ? m('emmett') : undefined;
          rows.push([
            target.name === 'postgres' ? 'PostgreSQL' : 'embedded (PGlite)',
            w.label,
            rate(base),
            other === undefined ? '—' : rate(other),
            rate(mine),
            other === undefined ? '—' : (mine / other).toFixed(2),
            (mine / base).toFixed(2),
          ]);
        }
      } finally {
        await peer?.close();
        await close();
      }
    }
  } finally {
    for (const target of targets) await target.dispose();
  }
  process.stdout.write(
    `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, PostgreSQL ${serverVersion}; ` +
      `${passes} passes of ${seconds} s per contender and workload (medians, events/s); pools of ${POOL}\n\n${table(
        ['store', 'workload', 'baseline', 'Emmett', 'Jejak', 'Jejak / Emmett', 'Jejak / baseline'],
        rows,
      )}\n`,
  );
}

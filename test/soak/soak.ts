/**
 * The soak (issue 23): Jejak on PostgreSQL as deployed on one machine (two API processes and a projector)
 * under the officer mix of `npm run bench -- http` for a long time at half the rate it can take, to show it
 * stays flat: resident memory, latency and projection lag.
 *
 * 1. Calibration: `clients` officers send the mix back to back (a closed loop) for `calibrationSeconds`;
 *    the requests answered per second are the maximum rate.
 * 2. The soak: the same officers send the mix at half that rate in total, on a fixed schedule (an open loop:
 *    a request's latency counts from the moment it was due, so a server that falls behind shows it instead
 *    of slowing the clients down). Each officer opens new records (the creates of the mix) and works on the
 *    newest of each kind, so records stay the size they have in the field.
 * 3. Every interval (a minute by default): requests answered, errors, p50 and p99 latency, each process's
 *    resident memory, and the projection lag (the events after the checkpoint furthest behind and the age of
 *    the oldest of them, sampled every second; the interval's largest).
 *
 * The verdicts, after the warm-up intervals:
 * - memory: each process's resident memory in the last third of the intervals (their median) is less than
 *   10 % above the first third's;
 * - latency: the median of the intervals' p99 in the last third is at most 1.5 times the first third's;
 * - lag: the oldest event not yet projected is never more than 10 s old, and the lag is zero within 30 s of
 *   the load's end;
 * - no request answered with a 5xx or failed.
 */
import { randomUUID } from 'node:crypto';

import { signToken } from '@jejak/auth';
import { Client } from 'pg';

import { bodies, type Kind, kindAt, percentile, type RecordKind, stepOf, VILLAGE } from '../../bench/officer-mix';
import { type Deployment, sleep, startDeployment } from '../chaos/deployment';
import { Diagnostics, type IntervalDiagnosis } from './diagnosis';

export interface SoakOptions {
  readonly minutes: number;
  /** The length of an interval (a line of the report), in seconds: 60 unless a short run asks otherwise. */
  readonly intervalSeconds: number;
  /** Intervals left out of the verdicts at the start (the processes' warm-up). */
  readonly warmupIntervals: number;
  readonly clients: number;
  readonly calibrationSeconds: number;
  /**
   * The verdicts' bounds (the soak's: memory growth 0.1, p99 drift 1.5, lag 10 s). `null` reports a figure
   * without judging it: a short run in CI, beside other suites, cannot tell a leak from a warm-up in a minute,
   * nor its own drift from a neighbour's load (speed is judged by the long run and the benchmarks).
   */
  readonly bounds?: { readonly memoryGrowth: number | null; readonly p99Drift: number | null; readonly lagSeconds: number };
  readonly serverUrl?: string;
  readonly progress?: (line: string) => void;
}

export const SOAK_BOUNDS = { memoryGrowth: 0.1, p99Drift: 1.5, lagSeconds: 10 } as const;

export interface SoakInterval {
  readonly index: number;
  readonly answered: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  /** p99 per kind of request of the mix (create, step, read, list, worklist): where a drift comes from. */
  readonly p99ByKind: Readonly<Record<string, number>>;
  /** Resident memory per process, in MiB. */
  readonly rss: Readonly<Record<string, number>>;
  /** The largest projection lag sampled in the interval: events behind, and the age of the oldest of them in seconds. */
  readonly lagEvents: number;
  readonly lagSeconds: number;
  /** Where slow requests come from: each process's stalls and GC, the load generator's, PostgreSQL's waits. */
  readonly diagnosis: IntervalDiagnosis;
}

export interface SoakResult {
  readonly maxRate: number;
  readonly rate: number;
  readonly intervals: readonly SoakInterval[];
  /** Per process: resident memory at the end of the warm-up and at the end, in MiB, and the growth. */
  readonly memory: Readonly<Record<string, { readonly warm: number; readonly end: number; readonly growth: number }>>;
  readonly p99: {
    readonly first: number;
    readonly last: number;
    readonly drift: number;
    readonly byKind: Readonly<Record<string, { readonly first: number; readonly last: number }>>;
  };
  readonly lag: { readonly maxEvents: number; readonly maxSeconds: number; readonly caughtUpMs: number | null };
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly violations: readonly string[];
}

const median = (values: readonly number[]): number => percentile(values, 50);
const mib = (bytes: number | null): number => (bytes === null ? NaN : Math.round(bytes / 1024 / 1024));

/**
 * The projection lag now: the events after the checkpoint furthest behind, and how long ago the oldest of
 * them was recorded (positions are not dense, so the lag is counted, not subtracted).
 */
async function lagNow(db: Client): Promise<{ events: number; seconds: number }> {
  const r = await db.query<{ events: number; seconds: number }>(
    `with behind as (select coalesce(min(greatest(position, coalesce(scanned_to, position))), 0) as p from jejak_checkpoints)
     select count(*)::int as events, coalesce(extract(epoch from clock_timestamp() - min(e.recorded_at)), 0)::float8 as seconds
       from jejak_events e, behind where e.position > behind.p`,
  );
  return { events: r.rows[0]?.events ?? 0, seconds: Math.max(0, r.rows[0]?.seconds ?? 0) };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const say = options.progress ?? (() => undefined);
  const deployment: Deployment = await startDeployment('postgres', options.serverUrl, say, true);
  const db = new Client({ connectionString: deployment.databaseUrl });
  await db.connect();
  try {
    const { bases } = deployment;
    const tokens = await Promise.all(
      Array.from({ length: options.clients }, (_, c) =>
        signToken(deployment.jwtSecret, { sub: `officer-soak-${c}`, role: 'officer', scopes: [{ level: 'village', code: VILLAGE }] }),
      ),
    );
    let errors = 0;
    let firstError: string | undefined;
    const call = async (c: number, method: 'GET' | 'POST', path: string, body?: object): Promise<Record<string, unknown>> => {
      const res = await fetch(`${bases[c % bases.length]}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[c]}`,
          'content-type': 'application/json',
          ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path.replace(/[0-9a-f-]{36}/g, '{id}')}: ${res.status} ${text.slice(0, 200)}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    // The projector has built the read models (until then lists answer 503 READ_MODELS_NOT_READY).
    for (let tries = 0; ; tries++) {
      const res = await fetch(`${bases[0]}/cases?limit=1`, { headers: { authorization: `Bearer ${tokens[0]}` } });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (tries > 120) throw new Error(`the read models were never ready: ${res.status}`);
      await sleep(500);
    }
    // Each officer's newest record of each kind (a create replaces it).
    const newest: Record<RecordKind, string>[] = [];
    for (let c = 0; c < options.clients; c++) {
      newest.push({
        cases: String((await call(c, 'POST', '/cases', bodies.case(c))).id),
        placements: String((await call(c, 'POST', '/placements', bodies.placement(c))).id),
        preventions: String((await call(c, 'POST', '/preventions', bodies.prevention(c))).id),
      });
    }
    const counters = new Array<number>(options.clients).fill(0);
    /** One request of officer c's mix. */
    const next = async (c: number): Promise<Kind> => {
      const i = counters[c]!++;
      const kind = kindAt(c, i);
      const record = (['cases', 'placements', 'preventions'] as const)[(i + c) % 3];
      const n = c * 1_000_000 + i;
      if (kind === 'create')
        newest[c]![record] = String((await call(c, 'POST', `/${record}`, bodies[record.slice(0, -1) as 'case'](n))).id);
      else if (kind === 'step') {
        const [path, body] = stepOf[record](n);
        await call(c, 'POST', `/${record}/${newest[c]![record]}/${path}`, body);
      } else if (kind === 'read') await call(c, 'GET', `/${record}/${newest[c]![record]}`);
      else if (kind === 'list') await call(c, 'GET', `/${record}?limit=20`);
      else await call(c, 'GET', '/worklist');
      return kind;
    };
    const failed = (error: unknown) => {
      errors++;
      firstError ??= (error as Error).message;
    };

    // 1. Calibration: the closed loop.
    say(`calibrating: ${options.clients} officers back to back for ${options.calibrationSeconds} s`);
    let calibrated = 0;
    const calibrationEnd = performance.now() + options.calibrationSeconds * 1000;
    await Promise.all(
      Array.from({ length: options.clients }, async (_, c) => {
        while (performance.now() < calibrationEnd) {
          await next(c).then(() => calibrated++, failed);
        }
      }),
    );
    const maxRate = calibrated / options.calibrationSeconds;
    const rate = maxRate / 2;
    say(`maximum ${maxRate.toFixed(0)} requests/s; soaking at ${rate.toFixed(0)}/s for ${options.minutes} min`);

    // 2. The soak: an open loop, each officer on a schedule of its own.
    const intervals: SoakInterval[] = [];
    const intervalMs = options.intervalSeconds * 1000;
    const total = Math.max(1, Math.round((options.minutes * 60) / options.intervalSeconds));
    const started = performance.now();
    const end = started + total * intervalMs;
    let latencies: number[] = [];
    let byKind = new Map<Kind, number[]>();
    let answered = 0;
    let intervalErrors = 0;
    let lagMax = { events: 0, seconds: 0 };
    const perClient = options.clients / rate; // seconds between one officer's requests
    const diagnostics = new Diagnostics(deployment.services, db);
    await diagnostics.start();
    const load = Promise.all(
      Array.from({ length: options.clients }, async (_, c) => {
        for (let due = started + (c / options.clients) * perClient * 1000; due < end; due += perClient * 1000) {
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          const kind = await next(c).catch(failed);
          if (kind) {
            const latency = performance.now() - due;
            latencies.push(latency);
            const list = byKind.get(kind);
            if (list) list.push(latency);
            else byKind.set(kind, [latency]);
            answered++;
          } else intervalErrors++;
        }
      }),
    );
    const sampler = (async () => {
      while (performance.now() < end) {
        try {
          const lag = await lagNow(db);
          lagMax = { events: Math.max(lagMax.events, lag.events), seconds: Math.max(lagMax.seconds, lag.seconds) };
        } catch (error) {
          failed(error);
        }
        await sleep(1_000);
      }
    })();
    for (let k = 0; k < total; k++) {
      await sleep(Math.max(0, started + (k + 1) * intervalMs - performance.now()));
      const l = latencies;
      const interval: SoakInterval = {
        index: k + 1,
        answered,
        errors: intervalErrors,
        p50: percentile(l, 50),
        p99: percentile(l, 99),
        p99ByKind: Object.fromEntries([...byKind].map(([kind, values]) => [kind, percentile(values, 99)])),
        rss: Object.fromEntries(deployment.services.map((s) => [s.name, mib(s.rss())])),
        lagEvents: lagMax.events,
        lagSeconds: lagMax.seconds,
        diagnosis: await diagnostics.interval(),
      };
      latencies = [];
      byKind = new Map();
      answered = 0;
      intervalErrors = 0;
      lagMax = { events: 0, seconds: 0 };
      intervals.push(interval);
      say(
        `${String(interval.index).padStart(3)}/${total}: ${(interval.answered / options.intervalSeconds).toFixed(0)}/s, ` +
          `p50 ${interval.p50.toFixed(1)} ms, p99 ${interval.p99.toFixed(1)} ms, errors ${interval.errors}, lag ${interval.lagEvents} events / ${interval.lagSeconds.toFixed(1)} s, ` +
          `RSS ${Object.entries(interval.rss)
            .map(([name, m]) => `${name} ${m} MiB`)
            .join(', ')}; ` +
          `CPU ${(interval.diagnosis.machineBusy * 100).toFixed(0)} % of the machine (${Object.entries(interval.diagnosis.processes)
            .map(([name, d]) => `${name} ${d.cpuSeconds?.toFixed(1) ?? '?'} s`)
            .join(
              ', ',
            )}, PostgreSQL and the rest ${interval.diagnosis.otherCpuSeconds.toFixed(1)} s, driver ${interval.diagnosis.driverCpuSeconds.toFixed(1)} s); ` +
          `loop max ${Object.entries(interval.diagnosis.processes)
            .map(
              ([name, d]) =>
                `${name} ${d.loopMaxMs?.toFixed(0) ?? '?'} ms (GC ${d.gcMs?.toFixed(0) ?? '?'} ms, slow ${d.slowRequests ?? '?'})`,
            )
            .join(
              ', ',
            )}, driver ${interval.diagnosis.driverLoopMaxMs.toFixed(0)} ms; PostgreSQL lock waits ${interval.diagnosis.pgLockWaits} (${interval.diagnosis.pgWaits || 'none'})`,
      );
    }
    await load;
    await sampler;
    await diagnostics.stop();
    const loadEnded = Date.now();
    let caughtUpMs: number | null = null;
    while (Date.now() - loadEnded < 60_000) {
      if ((await lagNow(db)).events === 0) {
        caughtUpMs = Date.now() - loadEnded;
        break;
      }
      await sleep(250);
    }

    // The verdicts.
    const violations: string[] = [];
    const bounds = options.bounds ?? SOAK_BOUNDS;
    // Memory and p99 compare the first third of the intervals after the warm-up with the last third, each by
    // its median (a garbage collector's sawtooth is not growth).
    const measured = intervals.slice(Math.min(options.warmupIntervals, intervals.length - 1));
    const third = Math.max(1, Math.floor(measured.length / 3));
    const memory: Record<string, { warm: number; end: number; growth: number }> = {};
    for (const name of Object.keys(intervals[0]!.rss)) {
      const w = median(measured.slice(0, third).map((i) => i.rss[name]!));
      const e = median(measured.slice(-third).map((i) => i.rss[name]!));
      memory[name] = { warm: w, end: e, growth: e / w - 1 };
      if (bounds.memoryGrowth !== null && !(e / w - 1 < bounds.memoryGrowth))
        violations.push(`${name}: resident memory grew ${((e / w - 1) * 100).toFixed(1)} % after the warm-up (${w} -> ${e} MiB)`);
    }
    const first = median(measured.slice(0, third).map((i) => i.p99));
    const lastP99 = median(measured.slice(-third).map((i) => i.p99));
    if (bounds.p99Drift !== null && !(lastP99 <= first * bounds.p99Drift))
      violations.push(`p99 drifted from ${first.toFixed(1)} ms (first third) to ${lastP99.toFixed(1)} ms (last third)`);
    const maxEvents = Math.max(...measured.map((i) => i.lagEvents));
    const maxSeconds = Math.max(...measured.map((i) => i.lagSeconds));
    if (maxSeconds > bounds.lagSeconds)
      violations.push(`projection lag reached ${maxSeconds.toFixed(1)} s (${maxEvents} events; bound ${bounds.lagSeconds} s)`);
    if (caughtUpMs === null || caughtUpMs > 30_000)
      violations.push(`projection lag did not return to zero within 30 s (${caughtUpMs ?? 'never'})`);
    if (errors > 0) violations.push(`${errors} requests failed; the first: ${firstError}`);
    return {
      maxRate,
      rate,
      intervals,
      memory,
      p99: {
        first,
        last: lastP99,
        drift: lastP99 / first,
        byKind: Object.fromEntries(
          Object.keys(measured[0]?.p99ByKind ?? {}).map((kind) => [
            kind,
            {
              first: median(measured.slice(0, third).map((i) => i.p99ByKind[kind] ?? NaN)),
              last: median(measured.slice(-third).map((i) => i.p99ByKind[kind] ?? NaN)),
            },
          ]),
        ),
      },
      lag: { maxEvents, maxSeconds, caughtUpMs },
      errors,
      firstError,
      violations,
    };
  } finally {
    await db.end();
    await deployment.close();
  }
}

/**
 * What the soak records beside its verdicts, to say where a slow minute comes from: each process's longest
 * event-loop stall and garbage-collection time (from its Prometheus metrics), the requests each API process
 * itself took longer than half a second over (so a stall seen by the clients but not by the servers is the
 * load generator's own), the load generator's own event-loop stalls, and what PostgreSQL's backends were
 * waiting for (sampled every second).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import type { Client } from 'pg';

/** One process's figures for an interval. */
export interface ProcessDiagnosis {
  /** The longest event-loop delay in the interval, in ms (null: not scraped). */
  readonly loopMaxMs: number | null;
  /** Time spent in garbage collection in the interval, in ms, and the collections longer than 100 ms. */
  readonly gcMs: number | null;
  readonly longGcs: number | null;
  /** Requests this process answered in more than 0.5 s, by its own measure (API processes). */
  readonly slowRequests: number | null;
  /** CPU time the process used in the interval, in seconds (user and system). */
  readonly cpuSeconds: number | null;
}

export interface IntervalDiagnosis {
  readonly processes: Readonly<Record<string, ProcessDiagnosis>>;
  /** The load generator's longest event-loop delay, in ms. */
  readonly driverLoopMaxMs: number;
  /**
   * CPU time in the interval, in seconds: the load generator's, and everything else's on the machine
   * (PostgreSQL's above all: its backends come and go, so it is the machine's less the processes measured).
   */
  readonly driverCpuSeconds: number;
  readonly otherCpuSeconds: number;
  /** The machine's CPU in use, 0 to 1 of all its cores. */
  readonly machineBusy: number;
  /** The most backends of the soak's database seen waiting on a lock at once (sampled every second). */
  readonly pgLockWaits: number;
  /** The wait events seen most often on active backends, with their counts (IO, LWLock, Lock, Client ...). */
  readonly pgWaits: string;
}

type Samples = Map<string, number>;

const TICKS = 100; // clock ticks per second (USER_HZ) on Linux

/** A process's CPU time so far in seconds (Linux `/proc/<pid>/stat`: utime + stime), or null when gone. */
function cpuOf(pid: number | 'self'): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/** The machine's busy and total CPU time so far, in ticks (`/proc/stat`). */
function machineCpu(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - n[3]! - n[4]!, total };
}

/** Prometheus text into `name{labels}` -> value (labels as written by prom-client). */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** The sum of the samples whose name is `name` and whose labels contain every one of `having`. */
function sum(samples: Samples, name: string, having: readonly string[] = []): number {
  let total = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf('{');
    if ((brace === -1 ? key : key.slice(0, brace)) !== name) continue;
    if (having.every((h) => key.includes(h))) total += value;
  }
  return total;
}

interface Cumulative {
  readonly gcSeconds: number;
  readonly gcs: number;
  readonly shortGcs: number;
  readonly requests: number;
  readonly fastRequests: number;
}

const cumulative = (s: Samples): Cumulative => ({
  gcSeconds: sum(s, 'nodejs_gc_duration_seconds_sum'),
  gcs: sum(s, 'nodejs_gc_duration_seconds_count'),
  shortGcs: sum(s, 'nodejs_gc_duration_seconds_bucket', ['le="0.1"']),
  requests: sum(s, 'jejak_http_request_duration_seconds_count'),
  fastRequests: sum(s, 'jejak_http_request_duration_seconds_bucket', ['le="0.5"']),
});

export class Diagnostics {
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private readonly previous = new Map<string, Cumulative>();
  private readonly cpu = new Map<string, number | null>();
  private machine = machineCpu();

  /** Reads every CPU counter; returns each one's growth since the last reading. */
  private cpuDeltas(): Map<string, number | null> {
    const now = new Map<string, number | null>([
      ...this.services.map((s): [string, number | null] => {
        const pid = s.pid();
        return [s.name, pid === undefined ? null : cpuOf(pid)];
      }),
      ['driver', cpuOf('self')],
    ]);
    const deltas = new Map<string, number | null>();
    for (const [name, value] of now) {
      const before = this.cpu.get(name);
      deltas.set(name, value === null || before === null || before === undefined ? null : value - before);
      this.cpu.set(name, value);
    }
    return deltas;
  }
  private lockWaits = 0;
  private waits = new Map<string, number>();
  private sampling?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly services: readonly { readonly name: string; readonly metricsUrl?: string; pid(): number | undefined }[],
    private readonly db: Client,
  ) {}

  /** Starts the driver's loop monitor and the PostgreSQL sampler; takes the processes' first readings. */
  async start(): Promise<void> {
    this.loop.enable();
    this.cpuDeltas();
    this.machine = machineCpu();
    for (const [name, samples] of await this.scrapeAll()) if (samples) this.previous.set(name, cumulative(samples));
    this.sampling = (async () => {
      while (!this.stopped) {
        try {
          const r = await this.db.query<{ wait: string | null; n: number }>(
            `select wait_event_type || ':' || wait_event as wait, count(*)::int as n from pg_stat_activity
              where datname = current_database() and state = 'active' and pid <> pg_backend_pid() group by 1`,
          );
          let locks = 0;
          for (const row of r.rows) {
            if (!row.wait) continue;
            if (row.wait.startsWith('Lock:')) locks += row.n;
            this.waits.set(row.wait, (this.waits.get(row.wait) ?? 0) + row.n);
          }
          this.lockWaits = Math.max(this.lockWaits, locks);
        } catch {
          // the sampler says nothing rather than fail the soak
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();
  }

  private async scrapeAll(): Promise<Map<string, Samples | undefined>> {
    const out = new Map<string, Samples | undefined>();
    await Promise.all(
      this.services.map(async (s) => {
        if (!s.metricsUrl) return;
        try {
          const res = await fetch(s.metricsUrl, { signal: AbortSignal.timeout(10_000) });
          out.set(s.name, parseMetrics(await res.text()));
        } catch {
          out.set(s.name, undefined);
        }
      }),
    );
    return out;
  }

  /** The interval that just ended (and starts the next). */
  async interval(): Promise<IntervalDiagnosis> {
    const scraped = await this.scrapeAll();
    const cpu = this.cpuDeltas();
    const machine = machineCpu();
    const machineBusy = (machine.busy - this.machine.busy) / Math.max(1, machine.total - this.machine.total);
    const processes: Record<string, ProcessDiagnosis> = {};
    for (const s of this.services) {
      const samples = scraped.get(s.name);
      if (!samples) {
        processes[s.name] = { loopMaxMs: null, gcMs: null, longGcs: null, slowRequests: null, cpuSeconds: cpu.get(s.name) ?? null };
        continue;
      }
      const now = cumulative(samples);
      const before = this.previous.get(s.name) ?? now;
      this.previous.set(s.name, now);
      processes[s.name] = {
        loopMaxMs: sum(samples, 'nodejs_eventloop_lag_max_seconds') * 1000,
        gcMs: (now.gcSeconds - before.gcSeconds) * 1000,
        longGcs: now.gcs - before.gcs - (now.shortGcs - before.shortGcs),
        slowRequests: now.requests - before.requests - (now.fastRequests - before.fastRequests),
        cpuSeconds: cpu.get(s.name) ?? null,
      };
    }
    const driverLoopMaxMs = this.loop.max / 1e6;
    this.loop.reset();
    const pgWaits = [...this.waits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([w, n]) => `${w} ${n}`)
      .join(', ');
    const diagnosis: IntervalDiagnosis = {
      processes,
      driverLoopMaxMs,
      driverCpuSeconds: cpu.get('driver') ?? NaN,
      otherCpuSeconds: (machine.busy - this.machine.busy) / TICKS - [...cpu.values()].reduce<number>((a, b) => a + (b ?? 0), 0),
      machineBusy,
      pgLockWaits: this.lockWaits,
      pgWaits,
    };
    this.machine = machine;
    this.lockWaits = 0;
    this.waits = new Map();
    return diagnosis;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.loop.disable();
    await this.sampling;
  }
}

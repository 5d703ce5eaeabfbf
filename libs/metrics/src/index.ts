/**
 * Prometheus metrics for every Jejak process (prom-client), served on JEJAK_METRICS_PORT: a port of its
 * own, never the public API's. Labels carry route templates, command outcomes, refusal codes and component
 * names only: never an id, a path, a person or a value.
 */
import { createServer, type Server } from 'node:http';

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a process can say about its parts when it is scraped (each optional: a process reports what it runs). */
export interface MetricSources {
  /** Each projection's lag: events still to apply and the age of the oldest, in seconds (null: unknown). */
  readonly projections?: () => Promise<
    readonly { readonly name: string; readonly lag: { readonly events: number; readonly seconds: number } | null }[]
  >;
  /** Each process manager's lag in events (what it has still to scan). */
  readonly processManagers?: () => Promise<readonly { readonly name: string; readonly events: number }[]>;
  /** When the last seal was written. */
  readonly lastSealAt?: () => Promise<Date | undefined>;
  /** The database connection pool's use (PostgreSQL only). */
  readonly pool?: () => { readonly total: number; readonly idle: number; readonly waiting: number; readonly max: number } | undefined;
}

export class JejakMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly commands: Counter<'route' | 'outcome' | 'code'>;
  readonly appendDuration: Histogram;
  private readonly verificationResult: Gauge;
  private readonly verificationTime: Gauge;

  constructor(service: string, sources: MetricSources = {}, now: () => Date = () => new Date()) {
    const registers = [this.registry];
    // The two projection-lag gauges are collected together on each scrape: they share one count. (Read
    // through `sources` at each scrape: the API fills it in once its services exist.)
    const projections = sharedPerScrape(async () => (await sources.projections?.()) ?? []);
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'jejak_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.commands = new Counter({
      name: 'jejak_commands_total',
      help: 'Commands (POST, PUT, PATCH, DELETE) by route template, outcome (accepted, refused, failed) and refusal code',
      labelNames: ['route', 'outcome', 'code'],
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'jejak_event_store_append_duration_seconds',
      help: 'Appends to the event store (one stream, or several in one transaction), from the call to its durable commit',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    new Gauge({
      name: 'jejak_projection_lag_events',
      help: 'Events a projection has still to apply (counted up to 10,000)',
      labelNames: ['projection'],
      registers,
      async collect() {
        this.reset();
        for (const p of await projections().catch(() => [])) if (p.lag) this.set({ projection: p.name }, p.lag.events);
      },
    });
    new Gauge({
      name: 'jejak_projection_lag_seconds',
      help: 'Age of the oldest event a projection has still to apply (0 when caught up)',
      labelNames: ['projection'],
      registers,
      async collect() {
        this.reset();
        for (const p of await projections().catch(() => [])) if (p.lag) this.set({ projection: p.name }, p.lag.seconds);
      },
    });
    new Gauge({
      name: 'jejak_process_manager_lag_events',
      help: 'Events a process manager has still to scan (counted up to 10,000)',
      labelNames: ['process_manager'],
      registers,
      async collect() {
        this.reset();
        for (const m of (await sources.processManagers?.().catch(() => [])) ?? []) this.set({ process_manager: m.name }, m.events);
      },
    });
    new Gauge({
      name: 'jejak_last_seal_age_seconds',
      help: 'Seconds since the last seal of the integrity chain was written (absent before the first)',
      registers,
      async collect() {
        this.reset();
        const at = await sources.lastSealAt?.().catch(() => undefined);
        if (at) this.set(Math.max(0, (now().getTime() - at.getTime()) / 1000));
      },
    });
    this.verificationResult = new Gauge({
      name: 'jejak_last_verification_intact',
      help: 'The last verification of the log run by this process: 1 intact, 0 broken (absent before the first)',
      registers,
    });
    this.verificationTime = new Gauge({
      name: 'jejak_last_verification_timestamp_seconds',
      help: 'When the last verification of the log run by this process finished (Unix time)',
      registers,
    });
    new Gauge({
      name: 'jejak_db_pool_connections',
      help: 'Database connection pool: connections by state (total, idle), queries waiting for one, and the cap',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        const pool = sources.pool?.();
        if (!pool) return;
        for (const [state, value] of Object.entries(pool)) this.set({ state }, value);
      },
    });
  }

  /** Records a verification's outcome (the API's `GET /audit/verify`, the CLI's `audit verify`). */
  recordVerification(intact: boolean, at: Date): void {
    this.verificationResult.set(intact ? 1 : 0);
    this.verificationTime.set(at.getTime() / 1000);
  }

  /** Times `append` and `appendMany` of an event store (any object with them), keeping everything else as it is. */
  timeAppends<T extends { append(...args: never[]): Promise<unknown> }>(store: T): T {
    const histogram = this.appendDuration;
    return new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        // Everything else as it is (a test's spy on a method stays that spy).
        if ((property !== 'append' && property !== 'appendMany') || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const end = histogram.startTimer();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            end();
          }
        };
      },
    });
  }

  /** Serves `/metrics` on its own port (0: any free one); resolves with the server once it listens. */
  serve(port: number, host?: string): Promise<Server> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}

/**
 * One call's answer for every caller within a second (the gauges of one scrape), instead of a call each:
 * a lag count reads the log, and a scrape collects two gauges from it.
 */
function sharedPerScrape<T>(read: () => Promise<T>, ms = 1_000): () => Promise<T> {
  let last: { at: number; answer: Promise<T> } | undefined;
  return () => {
    const at = Date.now();
    if (!last || at - last.at > ms) last = { at, answer: read() };
    return last.answer;
  };
}

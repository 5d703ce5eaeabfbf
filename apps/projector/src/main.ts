/**
 * The projector on its own: runs the projections and the process managers against the event store, with no
 * HTTP API. Run one or several next to API replicas started with JEJAK_PROJECTOR=off: each projection is
 * owned by one projector at a time, and a standby takes over when its owner dies.
 */
import { createServer } from 'node:http';

import { lastSeal, loadSealKey, startIntegrity } from '@jejak/audit';
import { ConfigError, type JejakConfig, loadConfig, storeOptions } from '@jejak/config';
import { LeasedRunner, openEventStore, runnerLag, SqlCheckpointStore, SubscriptionRunner, TableMaintenance } from '@jejak/event-store';
import { isJejakError } from '@jejak/kernel';
import { createLogger, StateLog } from '@jejak/logging';
import { JejakMetrics } from '@jejak/metrics';
import { PersonalDataVault } from '@jejak/personal-data';
import { linkManagers } from '@jejak/process-managers';
import { programProjections, ProjectionEngine } from '@jejak/read-models';

const AUTOVACUUM_OFF =
  "autovacuum is off on this PostgreSQL server: this process vacuums and analyzes Jejak's tables once a minute (turn autovacuum on to leave it to the server)";

function fail(message: string): never {
  process.stderr.write(`jejak-projector: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: JejakConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const opened = await openEventStore(config.database, storeOptions(config)).catch((error: unknown) =>
    fail(`cannot open the event store: ${isJejakError(error) ? error.message : String(error).split('\n')[0]}`),
  );
  const logger = createLogger(config.log, 'projector');
  const vault = await PersonalDataVault.create(opened.db, config.masterKey, config.keyringFile);
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const today = (at: Date = new Date()) => format.format(at);
  const checkpoints = await SqlCheckpointStore.create(opened.db);
  const managers = linkManagers({ store: opened.store, vault, today }).map(
    (h) => new LeasedRunner(opened.db, new SubscriptionRunner(opened.store, checkpoints, h), `jejak:${h.name}`),
  );
  const engine = await ProjectionEngine.create(
    opened.store,
    opened.db,
    programProjections({ deadlines: config.cases.deadlines, timeZone: config.timeZone }),
  );
  await Promise.all(managers.map((m) => m.start()));
  await engine.start();
  const sealKey = loadSealKey({
    ...(config.audit.sealKeyPem ? { pem: config.audit.sealKeyPem } : {}),
    dataDir: config.dataDir,
    create: true,
  });
  const integrity = await startIntegrity(
    opened.store,
    opened.db,
    sealKey,
    { everyEvents: config.audit.sealEveryEvents, everySeconds: config.audit.sealEverySeconds },
    (message) => logger.warn(message),
  );
  // On a PostgreSQL server with autovacuum off, Jejak vacuums its own tables (see TableMaintenance).
  const maintenance = new TableMaintenance(opened.db, (round) => logger.info(round, 'table maintenance'));
  if (await maintenance.start()) logger.warn(AUTOVACUUM_OFF);

  // State changes of everything this process runs, one structured line each (started, took over the lease,
  // caught up, failed on event X); and a summary a minute.
  const components = () => [...engine.status(), ...managers.map((m) => m.status()), integrity.status()];
  const states = new StateLog(logger, components, () => opened.store.head());
  states.start();
  const summary = () => {
    const all = components();
    const count = (state: string) => all.filter((c) => c.state === state).length;
    logger.info(
      { running: count('running'), standby: count('standby'), failed: count('failed'), rebuilding: count('rebuilding') },
      'status',
    );
  };
  const timer = setInterval(summary, 60_000);
  timer.unref();
  // Health for orchestrators (docker compose, Kubernetes), on JEJAK_HEALTH_PORT:
  // - /health/live: the process answers;
  // - /health and /health/ready: 200 while the event store answers and nothing this projector owns has
  //   failed; the body says what runs, on standby or owned.
  let stopping = false;
  const healthPort = process.env.JEJAK_HEALTH_PORT ? Number(process.env.JEJAK_HEALTH_PORT) : undefined;
  const health: ReturnType<typeof createServer> | undefined =
    healthPort !== undefined
      ? createServer((request, response) => {
          const path = request.url?.split('?')[0];
          if (path === '/health/live') {
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
            return;
          }
          if (path !== '/health' && path !== '/health/ready') {
            response.writeHead(404).end();
            return;
          }
          void opened.store.health().then((store) => {
            const runners = components();
            const failed = runners.filter((r) => r.state === 'failed').map((r) => r.name);
            const ok = store.ready && failed.length === 0 && !stopping;
            response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
            response.end(
              JSON.stringify({
                status: ok ? (path === '/health' ? 'ok' : 'ready') : stopping ? 'shutting_down' : 'degraded',
                eventStore: store,
                failed,
                runners: runners.map((r) => ({ name: r.name, state: r.state })),
              }),
            );
          });
        }).listen(healthPort, () => {
          const address = health?.address();
          logger.info({ port: typeof address === 'object' && address ? address.port : healthPort }, 'health listening');
        })
      : undefined;
  // Metrics on JEJAK_METRICS_PORT: the lag of what this projector owns, the last seal's age, the pool, Node's own.
  const metrics = new JejakMetrics('projector', {
    projections: async () =>
      (await engine.report()).filter((p) => p.state === 'running' || p.state === 'rebuilding' || p.state === 'failed'),
    processManagers: () =>
      runnerLag(
        opened.store,
        managers.map((m) => m.status()),
      ),
    lastSealAt: async () => (await lastSeal(opened.store))?.at,
    pool: () => opened.db.poolStats?.(),
  });
  const metricsServer =
    config.metricsPort !== undefined
      ? await metrics
          .serve(config.metricsPort, config.host)
          .catch((error: unknown) =>
            fail(`cannot serve metrics on port ${config.metricsPort}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`),
          )
      : undefined;
  const stop = async () => {
    stopping = true;
    clearInterval(timer);
    health?.close();
    metricsServer?.close();
    logger.info('stopping');
    await engine.stop();
    await integrity.stop();
    await maintenance.stop();
    await Promise.all(managers.map((m) => m.stop()));
    await states.stop();
    await opened.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();

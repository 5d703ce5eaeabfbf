/**
 * The projector on its own: runs the projections and the process managers against the event store, with no
 * HTTP API. Run one or several next to API replicas started with JEJAK_PROJECTOR=off: each projection is
 * owned by one projector at a time, and a standby takes over when its owner dies.
 */
import { createServer } from 'node:http';

import { loadSealKey, startIntegrity } from '@jejak/audit';
import { ConfigError, type JejakConfig, loadConfig, storeOptions } from '@jejak/config';
import { LeasedRunner, openEventStore, SqlCheckpointStore, SubscriptionRunner } from '@jejak/event-store';
import { isJejakError } from '@jejak/kernel';
import { PersonalDataVault } from '@jejak/personal-data';
import { linkManagers } from '@jejak/process-managers';
import { programProjections, ProjectionEngine } from '@jejak/read-models';

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
  const integrity = await startIntegrity(opened.store, opened.db, sealKey, {
    everyEvents: config.audit.sealEveryEvents,
    everySeconds: config.audit.sealEverySeconds,
  });

  const report = () => {
    for (const s of engine.status())
      process.stdout.write(
        `projection ${s.name}: ${s.state} at ${s.position ?? '-'}${s.failure ? ` FAILED on ${s.failure.eventType} ${s.failure.position}: ${s.failure.code}` : ''}\n`,
      );
    for (const s of [...managers.map((m) => m.status()), integrity.status()])
      process.stdout.write(`${s.name}: ${s.state} at ${s.position ?? '-'}\n`);
  };
  report();
  const timer = setInterval(report, 60_000);
  // Health for orchestrators (docker compose, Kubernetes): 200 while the event store answers and nothing
  // this projector owns has failed; the body says what runs, on standby or owned.
  const healthPort = process.env.JEJAK_HEALTH_PORT ? Number(process.env.JEJAK_HEALTH_PORT) : undefined;
  const health: ReturnType<typeof createServer> | undefined =
    healthPort !== undefined
      ? createServer((request, response) => {
          if (request.url !== '/health') {
            response.writeHead(404).end();
            return;
          }
          void opened.store.health().then((store) => {
            const runners = [...engine.status(), ...managers.map((m) => m.status()), integrity.status()];
            const failed = runners.filter((r) => r.state === 'failed').map((r) => r.name);
            const ok = store.ready && failed.length === 0;
            response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
            response.end(
              JSON.stringify({
                status: ok ? 'ok' : 'degraded',
                eventStore: store,
                failed,
                runners: runners.map((r) => ({ name: r.name, state: r.state })),
              }),
            );
          });
        }).listen(healthPort, () => {
          const address = health?.address();
          process.stdout.write(`health on port ${typeof address === 'object' && address ? address.port : healthPort}\n`);
        })
      : undefined;
  const stop = async () => {
    clearInterval(timer);
    health?.close();
    await engine.stop();
    await integrity.stop();
    await Promise.all(managers.map((m) => m.stop()));
    await opened.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();

import 'reflect-metadata';

import { ConfigError, type JejakConfig, loadConfig } from '@jejak/config';
import { isJejakError } from '@jejak/kernel';
import type { Logger } from '@jejak/logging';
import type { JejakMetrics } from '@jejak/metrics';

import { createApp } from './app';
import type { Drain } from './http/drain';
import { DRAIN, LOGGER, METRICS } from './tokens';

/** Start-up failures are one line on stderr and a non-zero exit: no stack trace for a configuration mistake. */
function fail(message: string): never {
  process.stderr.write(`jejak: ${message}\n`);
  process.exit(1);
}

function describeDatabase(config: JejakConfig): string {
  const database = config.database;
  if (database.kind === 'pglite') return `embedded PGlite in ${config.dataDir}`;
  // Host, port and database only: never the credentials.
  const sql = database.kind === 'kurrentdb' ? database.readModels : database;
  const url = sql.kind === 'postgres' ? new URL(sql.connectionString) : undefined;
  const postgres = url ? `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}` : 'embedded PGlite';
  if (database.kind !== 'kurrentdb') return postgres;
  const hosts = database.connectionString.replace(/^[a-z+]+:\/\/(?:[^@/]*@)?/i, '').split(/[/?]/)[0];
  return `KurrentDB at ${hosts}, read models in ${postgres}`;
}

async function main(): Promise<void> {
  let config: JejakConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const where = describeDatabase(config);
  let app;
  try {
    app = await createApp(config);
  } catch (error) {
    if (isJejakError(error)) fail(`cannot open the event store (${where}): ${error.message}`);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    fail(`cannot open the event store (${where}): ${reason}`);
  }
  try {
    await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'EADDRINUSE' ? `port ${config.port} is already in use; set PORT` : `cannot listen: ${String(error)}`);
  }
  // Metrics on a port of their own, when asked for (never the public API's port).
  let metricsServer: import('node:http').Server | undefined;
  if (config.metricsPort !== undefined) {
    try {
      metricsServer = await app.get<JejakMetrics>(METRICS).serve(config.metricsPort, config.host);
    } catch (error) {
      await app.close();
      fail(`cannot serve metrics on port ${config.metricsPort}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  // SIGTERM (an orchestrator) and SIGINT (Ctrl-C): finish the requests in flight, refuse new ones, then exit.
  const drain = app.get<Drain>(DRAIN);
  const logger = app.get<Logger>(LOGGER);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: drain.requestsInFlight }, 'draining');
    metricsServer?.close();
    void drain.drainAndClose(app, config.health.drainSeconds * 1000).then(
      ({ unfinished }) => {
        logger.info({ unfinished }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ error: (error as Error).name }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(
    `Jejak API listening on http://localhost:${address.port} (event store: ${where})\n` +
      `  web app: http://localhost:${address.port}/ (first login: see the README's quick start)\n` +
      `  health: http://localhost:${address.port}/health   docs: http://localhost:${address.port}/docs\n` +
      `  a token for local use: npm run token -- --sub officer-1 --role officer --scope village:3201012001\n`,
  );
}

void main();

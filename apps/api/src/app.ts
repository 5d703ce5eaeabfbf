import { lastSeal, loadSealKey, migrateAudit } from '@jejak/audit';
import { JwtVerifier } from '@jejak/auth';
import { type JejakConfig, storeOptions } from '@jejak/config';
import { openEventStore } from '@jejak/event-store';
import { CredentialStore } from '@jejak/identity';
import { createLogger, type LogSink } from '@jejak/logging';
import { JejakMetrics, type MetricSources } from '@jejak/metrics';
import { PersonalDataVault } from '@jejak/personal-data';
import { type INestApplication, type LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';

import { AppModule, type Extension } from './app.module';
import { guardBody } from './http/body-guard';
import { correlationMiddleware, nulMiddleware } from './http/correlation';
import { useValidationClock } from './http/dates';
import { Drain } from './http/drain';
import { IdempotencyInterceptor } from './http/idempotency';
import { mountOpenApi } from './http/openapi';
import { validationErrors, ValidationFailed } from './http/problem';
import { requestLog } from './http/request-log';
import { requestMetrics } from './http/request-metrics';
import { mountWebApp } from './http/web-app';
import { ProcessManagers } from './links/process-managers.service';
import { ReadModels } from './read-models/read-models.service';

export interface CreateAppOptions {
  /** Extra modules and their access policy (tests use this to mount probe routes). */
  readonly extension?: Extension;
  /**
   * Where the structured log goes: stdout at the configured level by default; `false` for nothing (benchmarks,
   * most tests); a sink to capture every line at every level (the tests that search the log for personal data).
   */
  readonly logger?: LogSink | false;
}

/** Nest's start-up chatter (every module loaded, every route mapped) goes to debug; everything else as it comes. */
const CHATTY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
function quietStartup(logger: Logger): LoggerService {
  return {
    log: (message: unknown, ...rest: unknown[]) =>
      CHATTY.has(String(rest[rest.length - 1])) ? logger.debug(message, ...rest) : logger.log(message, ...rest),
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => logger.fatal(message, ...rest),
  };
}

/** Opens the event store and builds the API around it; `app.close()` closes both. */
export async function createApp(config: JejakConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const opened = await openEventStore(config.database, storeOptions(config));
  // Where closing is (event store, then database), for the diagnostics of a slow shutdown (RuntimeCloser.stage).
  const closing = { stage: 'event store' };
  useValidationClock(config.clock ?? (() => new Date()));
  try {
    const vault = await PersonalDataVault.create(opened.db, config.masterKey, config.keyringFile);
    await IdempotencyInterceptor.migrate(opened.db);
    const sealKey = loadSealKey({
      ...(config.audit.sealKeyPem ? { pem: config.audit.sealKeyPem } : {}),
      dataDir: config.dataDir,
      create: true,
    });
    await migrateAudit(opened.db);
    const credentials = await CredentialStore.create(opened.db);
    const logger =
      options.logger === false
        ? createLogger({ ...config.log, level: 'silent' }, 'api')
        : options.logger
          ? createLogger({ level: 'trace', format: 'json' }, 'api', options.logger)
          : createLogger(config.log, 'api');
    const drain = new Drain();
    // The metrics' sources are the application's services, which exist once Nest has built them (below).
    const sources: { -readonly [K in keyof MetricSources]: MetricSources[K] } = {};
    const metrics = new JejakMetrics('api', sources, config.clock);
    const store = metrics.timeAppends(opened.store);
    const runtime = {
      logger,
      drain,
      metrics,
      config,
      store,
      db: opened.db,
      vault,
      credentials,
      sealKey,
      verifier: new JwtVerifier(config.jwt),
      closing,
      close: async () => {
        await opened.store.close();
        closing.stage = 'database';
        await opened.db.close();
      },
    };
    const app = await NestFactory.create<NestExpressApplication>(AppModule.register(runtime, options.extension), {
      bodyParser: false,
      // Nest's own messages wait for the pino logger, which exists once the module is built.
      bufferLogs: true,
      // Closing ends every open connection: a keep-alive socket would otherwise hold shutdown open (seen in
      // CI as app.close() waiting on one idle client socket). Writes are atomic, so a request cut here
      // either wrote everything or nothing, and its retry with the same Idempotency-Key is safe.
      forceCloseConnections: true,
    });
    app.useLogger(quietStartup(app.get(Logger)));
    const readModels = app.get(ReadModels);
    const managers = app.get(ProcessManagers);
    sources.projections = () => readModels.report();
    sources.processManagers = () => managers.lag();
    sources.lastSealAt = async () => (await lastSeal(opened.store))?.at;
    sources.pool = () => opened.db.poolStats?.();
    app.disable('x-powered-by');
    // Behind a gateway, the client's address comes from X-Forwarded-For, but only from proxies configured.
    if (config.trustedProxies && config.trustedProxies.length > 0) app.set('trust proxy', [...config.trustedProxies]);
    // First: while shutting down, new requests are refused before anything else reads them.
    app.use(drain.middleware);
    app.use(requestMetrics(metrics));
    // Before the body parser, so that even a malformed body gets a correlation id in its problem response.
    app.use(correlationMiddleware);
    app.use(requestLog(logger));
    app.use(nulMiddleware);
    app.use(
      helmet({
        // The API serves JSON; only the OpenAPI page needs scripts and styles, its own and inline ones.
        contentSecurityPolicy: {
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'", "'unsafe-inline'"],
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", 'data:'],
            frameAncestors: ["'none'"],
            // A village office may serve the web app over plain http on its own network: upgrading its
            // asset requests to https would break the page there.
            upgradeInsecureRequests: null,
          },
        },
      }),
    );
    // Answers hold personal data or a caller's view of their territory: no browser or proxy may keep them.
    app.use((_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
      response.setHeader('Cache-Control', 'no-store');
      next();
    });
    // CORS only for the origins configured; none by default, so browsers on other sites are refused.
    app.enableCors({
      origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id', 'X-Min-Position'],
      exposedHeaders: ['ETag', 'Location', 'X-Correlation-Id', 'Retry-After'],
      maxAge: 600,
    });
    mountWebApp(app, config.timeZone);
    // Nest keeps `verify` for its rawBody option, which this app does not use: the guard takes it.
    app.useBodyParser('json', { limit: '1mb', verify: guardBody } as { limit: string });
    app.useGlobalPipes(
      new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        exceptionFactory: (errors) => new ValidationFailed(validationErrors(errors)),
      }),
    );
    // SIGTERM and SIGINT drain before closing: main.ts handles them (see http/drain.ts).
    mountOpenApi(app);
    await app.init();
    return app;
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
}

import { loadSealKey, migrateAudit } from '@jejak/audit';
import { JwtVerifier } from '@jejak/auth';
import { type JejakConfig, storeOptions } from '@jejak/config';
import { openEventStore } from '@jejak/event-store';
import { CredentialStore } from '@jejak/identity';
import { PersonalDataVault } from '@jejak/personal-data';
import { type INestApplication, type LoggerService, type LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';

import { AppModule, type Extension } from './app.module';
import { guardBody } from './http/body-guard';
import { correlationMiddleware, nulMiddleware } from './http/correlation';
import { useValidationClock } from './http/dates';
import { IdempotencyInterceptor } from './http/idempotency';
import { mountOpenApi } from './http/openapi';
import { validationErrors, ValidationFailed } from './http/problem';
import { mountWebApp } from './http/web-app';

export interface CreateAppOptions {
  /** Extra modules and their access policy (tests use this to mount probe routes). */
  readonly extension?: Extension;
  readonly logger?: LoggerService | LogLevel[] | false;
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
    const runtime = {
      config,
      store: opened.store,
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
      logger: options.logger ?? ['log', 'warn', 'error'],
      // Closing ends every open connection: a keep-alive socket would otherwise hold shutdown open (seen in
      // CI as app.close() waiting on one idle client socket). Writes are atomic, so a request cut here
      // either wrote everything or nothing, and its retry with the same Idempotency-Key is safe.
      forceCloseConnections: true,
    });
    app.disable('x-powered-by');
    // Behind a gateway, the client's address comes from X-Forwarded-For, but only from proxies configured.
    if (config.trustedProxies && config.trustedProxies.length > 0) app.set('trust proxy', [...config.trustedProxies]);
    // Before the body parser, so that even a malformed body gets a correlation id in its problem response.
    app.use(correlationMiddleware);
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
    app.enableShutdownHooks();
    mountOpenApi(app);
    await app.init();
    return app;
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
}

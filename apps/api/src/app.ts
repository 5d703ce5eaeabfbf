import { ValidationPipe, type INestApplication, type LoggerService, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JwtVerifier } from '@jejak/auth';
import type { JejakConfig } from '@jejak/config';
import { openEventStore } from '@jejak/event-store';
import { AppModule } from './app.module';
import { correlationMiddleware } from './http/correlation';
import { mountOpenApi } from './http/openapi';
import { ValidationFailed, validationErrors } from './http/problem';

export interface CreateAppOptions {
  /** Extra modules (tests use this to mount probe routes). */
  readonly modules?: readonly Type[];
  readonly logger?: LoggerService | LogLevel[] | false;
}

/** Opens the event store and builds the API around it; `app.close()` closes both. */
export async function createApp(config: JejakConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const opened = await openEventStore(config.database, { limits: config.limits });
  try {
    const runtime = { store: opened.store, db: opened.db, verifier: new JwtVerifier(config.jwt), close: opened.close };
    const app = await NestFactory.create<NestExpressApplication>(AppModule.register(runtime, options.modules), {
      bodyParser: false,
      logger: options.logger ?? ['log', 'warn', 'error'],
    });
    app.disable('x-powered-by');
    // Before the body parser, so that even a malformed body gets a correlation id in its problem response.
    app.use(correlationMiddleware);
    app.useBodyParser('json', { limit: '1mb' });
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

import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { JwtVerifier } from '@jejak/auth';
import type { EventStore, SqlClient } from '@jejak/event-store';
import { HealthController } from './health/health.controller';
import { JwtAuthGuard } from './http/auth';
import { ProblemFilter } from './http/problem';
import { MeController } from './identity/me.controller';
import { EVENT_STORE, JWT_VERIFIER, SQL_CLIENT } from './tokens';

/** What the API is started with: opened before Nest so that start-up failures are one clear line. */
export interface ApiRuntime {
  readonly store: EventStore;
  readonly db: SqlClient;
  readonly verifier: JwtVerifier;
  /** Closes the store and the database; called once when the application shuts down. */
  readonly close: () => Promise<void>;
}

const RUNTIME = Symbol('RUNTIME');

class RuntimeCloser implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}

@Module({})
export class AppModule {
  static register(runtime: ApiRuntime, extra: readonly Type[] = []): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot(), ...extra],
      controllers: [HealthController, MeController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: SQL_CLIENT, useValue: runtime.db },
        { provide: JWT_VERIFIER, useValue: runtime.verifier },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        RuntimeCloser,
      ],
      exports: [EVENT_STORE, SQL_CLIENT],
    };
  }
}

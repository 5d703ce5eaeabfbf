import type { SealKey } from '@jejak/audit';
import type { JwtVerifier } from '@jejak/auth';
import type { JejakConfig } from '@jejak/config';
import type { EventStore, SqlClient } from '@jejak/event-store';
import { CredentialStore } from '@jejak/identity';
import type { Logger } from '@jejak/logging';
import type { JejakMetrics } from '@jejak/metrics';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';

import { AccessGuard } from './access/access.guard';
import { AreaResolver } from './access/area-resolver';
import { AccessLogInterceptor } from './audit/access-log';
import { AuditModule } from './audit/audit.module';
import { CasesModule } from './cases/cases.module';
import { CommunitiesModule } from './communities/communities.module';
import { EnterpriseModule } from './enterprise/enterprise.module';
import { ComponentLog } from './health/component-log';
import { HealthController } from './health/health.controller';
import { Clock } from './http/clock';
import type { Drain } from './http/drain';
import { IdempotencyInterceptor } from './http/idempotency';
import { IfMatchGuard } from './http/if-match.guard';
import { OccurredAtInterceptor } from './http/occurred-at';
import { ProblemFilter } from './http/problem';
import { IdentityModule } from './identity/identity.module';
import { UserDirectory } from './identity/user-directory';
import { InformationModule } from './information/information.module';
import { LinksController } from './links/links.controller';
import { ProcessManagers } from './links/process-managers.service';
import { BackupController } from './operations/backup.controller';
import { PlacementsModule } from './placements/placements.module';
import { PreventionsModule } from './preventions/preventions.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { ReadModels } from './read-models/read-models.service';
import { SubjectRegistry } from './subjects/subject-registry';
import { SubjectsModule } from './subjects/subjects.module';
import { CONFIG, DRAIN, EVENT_STORE, JWT_VERIFIER, LOGGER, METRICS, SEAL_KEY, SQL_CLIENT, VAULT } from './tokens';

/** What the API is started with: opened before Nest so that start-up failures are one clear line. */
export interface ApiRuntime {
  readonly config: JejakConfig;
  readonly store: EventStore;
  readonly db: SqlClient;
  readonly verifier: JwtVerifier;
  readonly vault: PersonalDataVault;
  readonly credentials: CredentialStore;
  readonly sealKey: SealKey;
  /** Closes the store and the database; called once when the application shuts down. */
  readonly close: () => Promise<void>;
  /** Which of the two `close` is at (event store, then database). */
  readonly closing?: { readonly stage: string };
  /** The process's structured logger (pino): Nest's own messages and one line per request go through it. */
  readonly logger: Logger;
  /** Counts requests in flight and refuses new ones while shutting down. */
  readonly drain: Drain;
  /** The process's Prometheus metrics (served on JEJAK_METRICS_PORT by main.ts). */
  readonly metrics: JejakMetrics;
}

const RUNTIME = Symbol('RUNTIME');

/** Closes the store and the database last; `stage` says whether a shutdown reached them. */
export class RuntimeCloser implements OnApplicationShutdown {
  private state: 'running' | 'closing' | 'closed' = 'running';
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}
  get stage(): string {
    return this.state === 'closing' ? `closing: ${this.runtime.closing?.stage ?? 'store and database'}` : this.state;
  }
  async onApplicationShutdown(): Promise<void> {
    this.state = 'closing';
    await this.runtime.close();
    this.state = 'closed';
  }
}

export interface Extension {
  /** Modules mounted beside the API's (tests mount probe routes this way); their routes declare access with `@Allow`. */
  readonly modules: readonly Type[];
}

/** One Nest feature module per context, in the order their routes are registered. */
export const CONTEXT_MODULES: readonly Type[] = [
  IdentityModule,
  SubjectsModule,
  PlacementsModule,
  ReadModelsModule,
  CasesModule,
  PreventionsModule,
  AuditModule,
  PrivacyModule,
  CommunitiesModule,
  InformationModule,
  EnterpriseModule,
];

/** Routes that belong to no context: health, the process managers' failures, the backup. */
export const PLATFORM_CONTROLLERS: readonly Type[] = [HealthController, LinksController, BackupController];

/** What the contexts share: the clock, who is who, the subject registry, the read models and the process managers. */
const SHARED = [Clock, UserDirectory, SubjectRegistry, ReadModels, ProcessManagers, AreaResolver];

@Module({})
export class AppModule {
  static register(runtime: ApiRuntime, extension: Extension = { modules: [] }): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger: runtime.logger }, forRoutes: [] }),
        CqrsModule.forRoot(),
        ...CONTEXT_MODULES,
        ...extension.modules,
      ],
      controllers: [...PLATFORM_CONTROLLERS],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: CONFIG, useValue: runtime.config },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: SQL_CLIENT, useValue: runtime.db },
        { provide: JWT_VERIFIER, useValue: runtime.verifier },
        { provide: VAULT, useValue: runtime.vault },
        { provide: CredentialStore, useValue: runtime.credentials },
        { provide: SEAL_KEY, useValue: runtime.sealKey },
        { provide: LOGGER, useValue: runtime.logger },
        { provide: DRAIN, useValue: runtime.drain },
        { provide: METRICS, useValue: runtime.metrics },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: IfMatchGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: OccurredAtInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
        ...SHARED,
        ComponentLog,
        RuntimeCloser,
      ],
      exports: [EVENT_STORE, SQL_CLIENT, VAULT, CONFIG, SEAL_KEY, LOGGER, DRAIN, METRICS, CredentialStore, ...SHARED],
    };
  }
}

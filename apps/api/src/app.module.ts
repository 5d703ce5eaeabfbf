import type { SealKey } from '@jejak/audit';
import type { JwtVerifier } from '@jejak/auth';
import type { JejakConfig } from '@jejak/config';
import type { EventStore, SqlClient } from '@jejak/event-store';
import { CredentialStore } from '@jejak/identity';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';

import { AccessGuard } from './access/access.guard';
import { AreaResolver } from './access/area-resolver';
import { POLICY, type RoutePolicy } from './access/policy';
import { AccessLogInterceptor } from './audit/access-log';
import { AuditController } from './audit/audit.controller';
import { DiffController } from './audit/diff.controller';
import { IntegrityService } from './audit/integrity.service';
import { CasesController } from './cases/cases.controller';
import { CASE_HANDLERS } from './cases/cases.handlers';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './http/idempotency';
import { IfMatchGuard } from './http/if-match.guard';
import { OccurredAtInterceptor } from './http/occurred-at';
import { ProblemFilter } from './http/problem';
import { AuthController, UsersController } from './identity/identity.controller';
import { LoginHandler } from './identity/login';
import { UserDirectory } from './identity/user-directory';
import { USER_HANDLERS } from './identity/users.handlers';
import { LinksController } from './links/links.controller';
import { ProcessManagers } from './links/process-managers.service';
import { PlacementsController } from './placements/placements.controller';
import { PLACEMENT_HANDLERS } from './placements/placements.handlers';
import { AgenciesController, MoratoriumsController } from './placements/reference.controller';
import { REFERENCE_HANDLERS } from './placements/reference.handlers';
import { PreventionsController } from './preventions/preventions.controller';
import { PREVENTION_HANDLERS } from './preventions/preventions.handlers';
import { BreachesController, DataSubjectRequestsController, SubjectRightsController } from './privacy/privacy.controller';
import { PRIVACY_HANDLERS } from './privacy/privacy.handlers';
import { CasesList } from './read-models/cases-list';
import { Indicators } from './read-models/indicators';
import { Lists } from './read-models/lists';
import {
  CaseListController,
  PlacementListController,
  PreventionListController,
  ProjectionsAdminController,
  ReportsController,
  WorklistController,
} from './read-models/read-models.controller';
import { ReadModels } from './read-models/read-models.service';
import { SubjectsController } from './subjects/subjects.controller';
import { SUBJECT_HANDLERS } from './subjects/subjects.handlers';
import { CONFIG, EVENT_STORE, JWT_VERIFIER, POLICY_TABLE, SEAL_KEY, SQL_CLIENT, VAULT } from './tokens';

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
  readonly modules: readonly Type[];
  /** Access policy for the extension's routes (tests mount probe routes this way). */
  readonly policy: readonly RoutePolicy[];
}

@Module({})
export class AppModule {
  static register(runtime: ApiRuntime, extension: Extension = { modules: [], policy: [] }): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot(), ...extension.modules],
      controllers: [
        HealthController,
        AuthController,
        UsersController,
        SubjectsController,
        PlacementsController,
        AgenciesController,
        MoratoriumsController,
        CaseListController,
        CasesController,
        PlacementListController,
        PreventionListController,
        PreventionsController,
        WorklistController,
        ReportsController,
        ProjectionsAdminController,
        AuditController,
        DiffController,
        LinksController,
        SubjectRightsController,
        DataSubjectRequestsController,
        BreachesController,
      ],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: CONFIG, useValue: runtime.config },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: SQL_CLIENT, useValue: runtime.db },
        { provide: JWT_VERIFIER, useValue: runtime.verifier },
        { provide: VAULT, useValue: runtime.vault },
        { provide: CredentialStore, useValue: runtime.credentials },
        { provide: SEAL_KEY, useValue: runtime.sealKey },
        { provide: POLICY_TABLE, useValue: [...POLICY, ...extension.policy] },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: IfMatchGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: OccurredAtInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
        IntegrityService,
        UserDirectory,
        AreaResolver,
        LoginHandler,
        ...USER_HANDLERS,
        ...SUBJECT_HANDLERS,
        ...PRIVACY_HANDLERS,
        ...REFERENCE_HANDLERS,
        ...PLACEMENT_HANDLERS,
        ...CASE_HANDLERS,
        ...PREVENTION_HANDLERS,
        ProcessManagers,
        ReadModels,
        CasesList,
        Lists,
        Indicators,
        RuntimeCloser,
      ],
      exports: [EVENT_STORE, SQL_CLIENT, VAULT, CONFIG],
    };
  }
}

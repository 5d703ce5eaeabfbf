import { type CaseDeadlines, type CaseState, caseStream, deadlinesAt } from '@jejak/accompaniment';
import type { JejakConfig } from '@jejak/config';
import type { EventStore, JsonValue } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Get, Inject, Param, Query as QueryParam, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_CASE, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { parseAsOf } from '../../http/as-of';
import { Clock } from '../../http/clock';
import { openedCategories, openFreeText } from '../../http/free-text';
import { ApiProblems } from '../../http/openapi';
import { ReadModels } from '../../read-models/read-models.service';
import { SubjectRegistry } from '../../subjects/subject-registry';
import { CONFIG, EVENT_STORE, VAULT } from '../../tokens';
import { loadCase } from '../cases.handlers';
import { CaseRoutes, CasesRoute, UUID } from '../cases.routes';

export interface CaseView {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly channel: string;
  readonly categories: readonly string[];
  readonly urgency: string | null;
  readonly procedural: string | null;
  readonly destinationCountry: string | null;
  readonly agencyId: string | null;
  readonly placementId: string | null;
  readonly worker: Record<string, string> & { readonly subjectId: string };
  readonly complainant: Record<string, string> & { readonly subjectId: string; readonly relationship: string };
  readonly complaint: string;
  readonly employer: string | null;
  readonly assignedTo: string | null;
  readonly openedAt: string;
  readonly openedBy: string;
  readonly actions: readonly JsonValue[];
  readonly evidence: readonly JsonValue[];
  readonly notes: number;
  readonly resolution: JsonValue | null;
  readonly approvedBy: string | null;
  readonly closedAt: string | null;
  readonly suspension: JsonValue | null;
  readonly reopenings: number;
  readonly linkedPreventions: readonly string[];
  /** Enquiries to the information service that were referred to this case. */
  readonly linkedEnquiries: readonly string[];
  /** Due and overdue at `asOf` (or now): computed from the events and the clock, never stored. */
  readonly deadlines: CaseDeadlines | null;
  readonly revision: number;
  readonly asOf: string | null;
}

export class GetCase extends Query<CaseView> {
  constructor(
    readonly caseId: string,
    readonly upTo: { revision?: bigint; recordedAt?: Date },
  ) {
    super();
  }
}

@QueryHandler(GetCase)
export class GetCaseHandler implements IQueryHandler<GetCase> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registry: SubjectRegistry,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly readModels: ReadModels,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, upTo }: GetCase): Promise<CaseView> {
    // The present from the projection when it holds the case's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<CaseState>('cases', caseId, caseStream(caseId)) : undefined) ??
      (await loadCase(this.store, caseId, upTo));
    const worker = await this.registry.view(state.workerSubjectId!, ['name', 'phone']);
    const complainant =
      state.complainantSubjectId === state.workerSubjectId
        ? worker
        : await this.registry.view(state.complainantSubjectId!, ['name', 'phone']);
    const sealed = await this.vault.reveal(state.workerSubjectId!, state.sealed);
    const resolution = state.resolution
      ? { ...state.resolution, sealed: undefined, ...(await this.vault.reveal(state.workerSubjectId!, state.resolution.sealed)) }
      : null;
    // Deadlines are measured at the instant asked for, else now by the deployment's clock (tests set it).
    const now = upTo.recordedAt ?? this.clock.now();
    // Free text sealed in place (reasons, referral organisations) opens with the worker's key.
    return openFreeText(this.vault, state.workerSubjectId!, {
      id: caseId,
      status: state.status,
      areaCode: state.areaCode!,
      channel: state.channel!,
      categories: openedCategories(state.categories, sealed.sensitiveCategories),
      urgency: state.urgency ?? null,
      procedural: state.procedural ?? null,
      destinationCountry: state.destinationCountry ?? null,
      agencyId: state.agencyId,
      placementId: state.placementId,
      worker,
      complainant: { ...complainant, relationship: state.relationship! },
      complaint: sealed.complaint ?? '[erased]',
      employer: sealed.employer ?? null,
      assignedTo: state.assignedTo ?? null,
      openedAt: state.openedAt!,
      openedBy: state.openedBy!,
      actions: Object.values(state.actions) as unknown as JsonValue[],
      evidence: state.evidence as unknown as JsonValue[],
      notes: state.notes,
      resolution: resolution as unknown as JsonValue,
      approvedBy: state.approvedBy ?? null,
      closedAt: state.closedAt ?? null,
      suspension: (state.suspension ?? null) as JsonValue,
      reopenings: state.reopenings,
      linkedPreventions: state.linkedPreventions,
      linkedEnquiries: state.linkedEnquiries ?? [],
      deadlines: deadlinesAt(state, now, this.config.cases.deadlines),
      revision: Number(revision),
      asOf: upTo.recordedAt?.toISOString() ?? null,
    });
  }
}

@CasesRoute()
export class GetCaseRoute extends CaseRoutes {
  @Get(':id')
  @Allow(READERS, IN_CASE)
  @RecordsAccess('case')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 instant: the case as it stood then, deadlines included' })
  @ApiQuery({ name: 'revision', required: false })
  @ApiOkResponse({ description: 'The case with ETag, what is due and what is overdue' })
  @ApiProblems(400, 404)
  async get(
    @Param('id', UUID) id: string,
    @QueryParam('asOf') asOf: string | undefined,
    @QueryParam('revision') revision: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const view = await this.queries.execute(new GetCase(id, parseAsOf(asOf, revision)));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

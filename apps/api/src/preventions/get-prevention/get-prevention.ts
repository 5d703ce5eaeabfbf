import type { EventStore, JsonValue } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type PreventionState, preventionStream } from '@jejak/prevention';
import { Get, Inject, Param, Query as QueryParam, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_PREVENTION, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { parseAsOf } from '../../http/as-of';
import { openFreeText } from '../../http/free-text';
import { ApiProblems } from '../../http/openapi';
import { ReadModels } from '../../read-models/read-models.service';
import { SubjectRegistry } from '../../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../../tokens';
import { keyHolder, loadPrevention } from '../preventions.handlers';
import { PreventionRoutes, PreventionsRoute, UUID } from '../preventions.routes';

export interface PreventionView {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly source: string;
  readonly person: (Record<string, string> & { readonly subjectId: string }) | null;
  readonly recruiter: (Record<string, string> & { readonly subjectId: string }) | null;
  readonly destinationCountry: string | null;
  readonly route: string | null;
  readonly description: string | null;
  readonly flags: readonly JsonValue[];
  readonly interventions: readonly JsonValue[];
  readonly outcome: JsonValue | null;
  readonly originPlacementId: string | null;
  readonly linkedPlacements: readonly JsonValue[];
  readonly linkedCases: readonly string[];
  /** Enquiries to the information service that were referred to this record. */
  readonly linkedEnquiries: readonly string[];
  readonly caseRequested: string | null;
  readonly revision: number;
  readonly asOf: string | null;
}

export class GetPrevention extends Query<PreventionView> {
  constructor(
    readonly preventionId: string,
    readonly upTo: { revision?: bigint; recordedAt?: Date },
  ) {
    super();
  }
}

@QueryHandler(GetPrevention)
export class GetPreventionHandler implements IQueryHandler<GetPrevention> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly registry: SubjectRegistry,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ preventionId, upTo }: GetPrevention): Promise<PreventionView> {
    // The present from the projection when it holds the report's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<PreventionState>('preventions', preventionId, preventionStream(preventionId)) : undefined) ??
      (await loadPrevention(this.store, preventionId, upTo));
    const { description } = await this.vault.reveal(keyHolder(state, preventionId), state.sealed);
    // Free text sealed in place (the route, reasons) opens with the key its record uses.
    return openFreeText(this.vault, keyHolder(state, preventionId), {
      id: preventionId,
      status: state.status,
      areaCode: state.areaCode!,
      source: state.source!,
      person: state.personSubjectId ? await this.registry.view(state.personSubjectId, ['name', 'phone']) : null,
      recruiter: state.recruiterSubjectId ? await this.registry.view(state.recruiterSubjectId, ['name', 'phone']) : null,
      destinationCountry: state.destinationCountry,
      route: state.route,
      description: description ?? null,
      flags: Object.values(state.flags) as unknown as JsonValue[],
      interventions: Object.values(state.interventions) as unknown as JsonValue[],
      outcome: (state.outcome ?? null) as JsonValue,
      originPlacementId: state.originPlacementId ?? null,
      linkedPlacements: state.linkedPlacements as unknown as JsonValue[],
      linkedCases: state.linkedCases,
      linkedEnquiries: state.linkedEnquiries ?? [],
      caseRequested: state.caseRequested ?? null,
      revision: Number(revision),
      asOf: upTo.recordedAt?.toISOString() ?? null,
    });
  }
}

@PreventionsRoute()
export class GetPreventionRoute extends PreventionRoutes {
  @Get(':id')
  @Allow(READERS, IN_PREVENTION)
  @RecordsAccess('prevention')
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'revision', required: false })
  @ApiOkResponse({ description: 'The record with its flags, interventions, outcome and links; ETag' })
  @ApiProblems(400, 404)
  async get(
    @Param('id', UUID) id: string,
    @QueryParam('asOf') asOf: string | undefined,
    @QueryParam('revision') revision: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PreventionView> {
    const view = await this.queries.execute(new GetPrevention(id, parseAsOf(asOf, revision)));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

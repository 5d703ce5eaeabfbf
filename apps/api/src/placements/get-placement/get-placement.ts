import { type EventStore, foldStream, type JsonValue } from '@jejak/event-store';
import { type PersonalDataVault, type SealedFields, subjectDecider, subjectStream } from '@jejak/personal-data';
import { type JobOrder, missingDocuments, type PlacementState, placementStream, stageOf } from '@jejak/placement';
import { Get, Inject, Param, Query as QueryParam, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { parseAsOf } from '../../http/as-of';
import { openFreeText } from '../../http/free-text';
import { ApiProblems } from '../../http/openapi';
import { ReadModels } from '../../read-models/read-models.service';
import { EVENT_STORE, VAULT } from '../../tokens';
import { loadPlacement } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export interface PlacementView {
  readonly id: string;
  readonly status: string;
  readonly stage: string;
  readonly areaCode: string;
  readonly registeredOn: string;
  readonly worker: Record<string, string> & { readonly subjectId: string };
  readonly jobOrder: JobOrder | null;
  readonly milestones: Record<string, string>;
  readonly documents: readonly Record<string, JsonValue>[];
  readonly closure: PlacementState['closure'] | null;
  readonly linkedPreventions: PlacementState['linkedPreventions'];
  /** Cases opened about this placement, linked by the case-links-placement process manager. */
  readonly linkedCases: readonly string[];
  /** Enquiries to the information service that were referred to this placement. */
  readonly linkedEnquiries: readonly string[];
  /** Documents needed by departure not on record yet (intake's KTP, KK, diploma and Article 13's). */
  readonly missingDocuments: readonly string[];
  /** Warning signs on its documents, and whether a supervisor cleared or confirmed each. */
  readonly warningSigns: readonly {
    readonly signId: string;
    readonly sign: string;
    readonly documentId: string;
    readonly status: string;
  }[];
  readonly revision: number;
  readonly asOf: string | null;
}

export class GetPlacement extends Query<PlacementView> {
  constructor(
    readonly placementId: string,
    readonly upTo: { revision?: bigint; recordedAt?: Date },
  ) {
    super();
  }
}

/** The state folded from the stream (up to a revision or an instant), with personal values opened. */
@QueryHandler(GetPlacement)
export class GetPlacementHandler implements IQueryHandler<GetPlacement> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ placementId, upTo }: GetPlacement): Promise<PlacementView> {
    // The present from the projection when it holds the placement's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<PlacementState>('placements', placementId, placementStream(placementId)) : undefined) ??
      (await loadPlacement(this.store, placementId, upTo));
    const subjectId = state.subjectId!;
    const { state: subject } = await foldStream(this.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
    const { name, nik, birthDate } = subject.personal;
    const worker = await this.vault.reveal(
      subjectId,
      Object.fromEntries(Object.entries({ name, nik, birthDate }).filter(([, v]) => v !== undefined)) as SealedFields,
    );
    const documents = [];
    for (const doc of Object.values(state.documents)) {
      const { sealed, ...rest } = doc;
      documents.push({ ...rest, ...(await this.vault.reveal(subjectId, sealed)) });
    }
    // The reasons of a closure are sealed in place: opened with the worker's key.
    return openFreeText(this.vault, subjectId, {
      id: placementId,
      status: state.status,
      stage: stageOf(state),
      areaCode: state.areaCode!,
      registeredOn: state.registeredOn!,
      worker: { subjectId, ...worker },
      jobOrder: state.jobOrder ?? null,
      milestones: { ...state.milestones } as Record<string, string>,
      documents,
      closure: state.closure ?? null,
      linkedPreventions: state.linkedPreventions,
      linkedCases: state.linkedCases ?? [],
      linkedEnquiries: state.linkedEnquiries ?? [],
      missingDocuments: missingDocuments(state),
      warningSigns: Object.entries(state.warningSigns ?? {}).map(([signId, s]) => ({ signId, ...s })),
      revision: Number(revision),
      asOf: upTo.recordedAt?.toISOString() ?? null,
    });
  }
}

@PlacementsRoute()
export class GetPlacementRoute extends PlacementRoutes {
  @Get(':id')
  @Allow(READERS, IN_PLACEMENT)
  @RecordsAccess('placement')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 instant: the state as it stood then, rebuilt from the log' })
  @ApiQuery({ name: 'revision', required: false, description: 'the state after this revision, rebuilt from the log' })
  @ApiOkResponse({ description: 'The placement with ETag; personal values opened for those in scope' })
  @ApiProblems(400, 404)
  async get(
    @Param('id', UUID) id: string,
    @QueryParam('asOf') asOf: string | undefined,
    @QueryParam('revision') revision: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PlacementView> {
    const view = await this.queries.execute(new GetPlacement(id, parseAsOf(asOf, revision)));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

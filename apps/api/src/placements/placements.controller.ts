import type { RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, Param, Post, Query as QueryParam, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA, IN_PLACEMENT, READERS } from '../access/rules';
import { RecordsAccess } from '../audit/access-log';
import { parseAsOf } from '../http/as-of';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import type { HistoryEntry } from '../http/history';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import {
  AgreementDto,
  ArrivalDto,
  DatedReasonDto,
  DepartureDto,
  DocumentsCompletionDto,
  DocumentStepDto,
  JobOrderDto,
  NonProceduralFlagDto,
  OrientationDto,
  RecordDocumentDto,
  RegisterPlacementDto,
  ReturnDto,
  WarningSignResolutionDto,
} from './placements.dto';
import {
  AdvancePlacement,
  GetPlacement,
  GetPlacementHistory,
  type PlacementStep,
  type PlacementView,
  RecordMedicalClearance,
  RecordPlacementDocument,
  RegisterPlacement,
  SelectJobOrder,
  type Written,
} from './placements.handlers';

const UUID = new UuidPipe();

/**
 * Placement facilitation over HTTP: one POST per command, each with If-Match and Idempotency-Key, each
 * answering `{ id, revision }` with the new ETag.
 */
@ApiTags('placements')
@ApiAuthenticated()
@Controller('placements')
export class PlacementsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async register(@Body() body: RegisterPlacementDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new RegisterPlacement(body, context));
    response.setHeader('Location', `/placements/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

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

  @Get(':id/history')
  @Allow(READERS, IN_PLACEMENT)
  @RecordsAccess('placement')
  @ApiOkResponse({ description: 'Every event, in order, with type, revision, recordedAt, data and metadata (actor, correlation)' })
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetPlacementHistory(id)) };
  }

  @Post(':id/documents')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiCreatedResponse({
    description:
      '`{ id, revision, documentId, warningSigns? }`: a passport number another person holds, or a second passport for this person, is recorded with a warning sign (a prevention record opens; a supervisor resolves it)',
  })
  @ApiProblems(400, 404, 409, 412, 422)
  async document(
    @Param('id', UUID) id: string,
    @Body() body: RecordDocumentDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new RecordPlacementDocument(id, body, context, ifMatch));
    return {
      ...revisionResponse(response, written.id, written.revision, written.position),
      documentId: written.documentId!,
      ...(written.warningSigns ? { warningSigns: written.warningSigns } : {}),
    };
  }

  @CommandRoute(':id/job-order-selection')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  async selectJobOrder(
    @Param('id', UUID) id: string,
    @Body() body: JobOrderDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.respond(response, await this.commands.execute(new SelectJobOrder(id, body, context, ifMatch)));
  }

  @CommandRoute(':id/medical-clearance')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  async medical(
    @Param('id', UUID) id: string,
    @Body() body: DocumentStepDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.respond(
      response,
      await this.commands.execute(new RecordMedicalClearance(id, body.documentId.toLowerCase(), body.on, context, ifMatch)),
    );
  }

  @CommandRoute(':id/competency-certification')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  competency(
    @Param('id', UUID) id: string,
    @Body() body: DocumentStepDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'CertifyCompetency', documentId: body.documentId.toLowerCase() }, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/placement-agreement')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  agreement(
    @Param('id', UUID) id: string,
    @Body() body: AgreementDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const step: PlacementStep = {
      type: 'SignPlacementAgreement',
      agreementDocumentId: body.agreementDocumentId.toLowerCase(),
      familyPermissionDocumentId: body.familyPermissionDocumentId.toLowerCase(),
      maritalStatusDocumentId: body.maritalStatusDocumentId.toLowerCase(),
      ltsa: body.ltsa,
    };
    return this.advance(id, step, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/social-security-enrollment')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  socialSecurity(
    @Param('id', UUID) id: string,
    @Body() body: DocumentStepDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(
      id,
      { type: 'EnrollSocialSecurity', documentId: body.documentId.toLowerCase() },
      body.on,
      context,
      ifMatch,
      response,
    );
  }

  @CommandRoute(':id/documents-completion')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  documentsComplete(
    @Param('id', UUID) id: string,
    @Body() body: DocumentsCompletionDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const step: PlacementStep = {
      type: 'CompleteDocuments',
      passportDocumentId: body.passportDocumentId.toLowerCase(),
      visaDocumentId: body.visaDocumentId.toLowerCase(),
      contractDocumentId: body.contractDocumentId.toLowerCase(),
    };
    return this.advance(id, step, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/orientation')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  orientation(
    @Param('id', UUID) id: string,
    @Body() body: OrientationDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(
      id,
      { type: 'CompleteOrientation', documentId: body.documentId?.toLowerCase() ?? null, place: body.place },
      body.on,
      context,
      ifMatch,
      response,
    );
  }

  @CommandRoute(':id/departure')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  departure(
    @Param('id', UUID) id: string,
    @Body() body: DepartureDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'RecordDeparture', route: body.route, underMoratorium: false }, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/arrival-report')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  arrival(
    @Param('id', UUID) id: string,
    @Body() body: ArrivalDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'ReportArrivalToEmbassy', mission: body.mission }, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/return')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  returned(
    @Param('id', UUID) id: string,
    @Body() body: ReturnDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'RecordReturn', note: body.note ?? null }, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/withdrawal')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  withdraw(
    @Param('id', UUID) id: string,
    @Body() body: DatedReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'WithdrawPlacement', reason: body.reason }, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/departure-failure')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  failed(
    @Param('id', UUID) id: string,
    @Body() body: DatedReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'RecordDepartureFailure', reason: body.reason }, body.on, context, ifMatch, response);
  }

  @CommandRoute(':id/non-procedural-flag')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  flag(
    @Param('id', UUID) id: string,
    @Body() body: NonProceduralFlagDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'FlagNonProcedural', reason: body.reason, flags: body.flags }, body.on, context, ifMatch, response);
  }

  /** A supervisor's decision on a warning sign (a duplicate or second passport): cleared, or confirmed as a duplicate. */
  @CommandRoute(':id/warning-signs/:signId/resolution')
  // A warning sign on a document (a duplicate or second passport) is the supervisor's to resolve.
  @Allow(['supervisor'], IN_PLACEMENT)
  @ApiProblems(400, 403, 404, 409, 412, 422)
  resolveSign(
    @Param('id', UUID) id: string,
    @Param('signId', UUID) signId: string,
    @Body() body: WarningSignResolutionDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(
      id,
      { type: 'ResolveWarningSign', signId, decision: body.decision, reason: body.reason },
      body.on,
      context,
      ifMatch,
      response,
    );
  }

  private async advance(
    id: string,
    step: PlacementStep,
    on: string | undefined,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
  ) {
    return this.respond(response, await this.commands.execute(new AdvancePlacement(id, step, on, context, ifMatch)));
  }

  private respond(response: Response, written: Written) {
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

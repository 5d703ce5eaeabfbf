import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParam, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA, IN_PREVENTION, READERS } from '../access/rules';
import { RecordsAccess } from '../audit/access-log';
import { parseAsOf } from '../http/as-of';
import { Clock } from '../http/clock';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import type { HistoryEntry } from '../http/history';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { ValidationFailed } from '../http/problem';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import {
  CaseRequestDto,
  DeferralAnswerDto,
  EmptyDto,
  FlagDto,
  InterventionDto,
  OutcomeDto,
  ReasonDto,
  ReportDto,
  VerificationDto,
} from './preventions.dto';
import {
  ActOnPrevention,
  GetPrevention,
  GetPreventionHistory,
  type PreventionStep,
  type PreventionView,
  ReportRecruitment,
} from './preventions.handlers';

const UUID = new UuidPipe();
const PROBLEMS = [400, 404, 409, 412, 422];

/** Prevention of non-procedural placement over HTTP: one POST per command. */
@ApiTags('preventions')
@ApiAuthenticated()
@Controller('preventions')
export class PreventionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async report(@Body() body: ReportDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new ReportRecruitment(body, context));
    response.setHeader('Location', `/preventions/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

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

  @Get(':id/history')
  @Allow(READERS, IN_PREVENTION)
  @RecordsAccess('prevention')
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetPreventionHistory(id)) };
  }

  @Post(':id/flags')
  @Allow(['officer'], IN_PREVENTION)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  flag(
    @Param('id', UUID) id: string,
    @Body() b: FlagDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const flagId = randomUUID();
    return this.act(id, { type: 'RaiseFlag', flagId, flag: b.flag }, { evidence: b.evidence }, c, m, r, { flagId });
  }

  @CommandRoute(':id/flags/:flagId/confirmation')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  confirmFlag(
    @Param('id', UUID) id: string,
    @Param('flagId', UUID) flagId: string,
    @Body() _b: EmptyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ConfirmFlag', flagId }, {}, c, m, r);
  }

  @CommandRoute(':id/flags/:flagId/dismissal')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  dismissFlag(
    @Param('id', UUID) id: string,
    @Param('flagId', UUID) flagId: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'DismissFlag', flagId, reason: b.reason }, {}, c, m, r);
  }

  @CommandRoute(':id/verification')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  verify(
    @Param('id', UUID) id: string,
    @Body() b: VerificationDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    if (b.result === 'dismissed' && !b.reason)
      throw new ValidationFailed([{ field: 'reason', message: 'is required to dismiss a report' }]);
    const step: PreventionStep = b.result === 'confirmed' ? { type: 'ConfirmReport' } : { type: 'DismissReport', reason: b.reason! };
    return this.act(id, step, {}, c, m, r);
  }

  @Post(':id/interventions')
  @Allow(['officer'], IN_PREVENTION)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  intervene(
    @Param('id', UUID) id: string,
    @Body() b: InterventionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const interventionId = randomUUID();
    return this.act(
      id,
      { type: 'RecordIntervention', interventionId, kind: b.kind, on: b.on ?? this.clock.today(c.occurredAt) },
      { note: b.note },
      c,
      m,
      r,
      { interventionId },
    );
  }

  @CommandRoute(':id/interventions/:interventionId/answer')
  @Allow(['officer'], IN_PREVENTION)
  @ApiOkResponse({ description: "Immigration's answer to a passport deferral request" })
  @ApiProblems(...PROBLEMS)
  answer(
    @Param('id', UUID) id: string,
    @Param('interventionId', UUID) interventionId: string,
    @Body() b: DeferralAnswerDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(
      id,
      { type: 'AnswerPassportDeferral', interventionId, answer: b.answer, on: b.on ?? this.clock.today(c.occurredAt) },
      {},
      c,
      m,
      r,
    );
  }

  @CommandRoute(':id/outcome')
  @Allow(['officer'], IN_PREVENTION)
  @ApiOkResponse({ description: 'Redirected: a process manager registers (or links) the legal placement, linked both ways' })
  @ApiProblems(...PROBLEMS)
  outcome(
    @Param('id', UUID) id: string,
    @Body() b: OutcomeDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(
      id,
      { type: 'RecordOutcome', outcome: b.outcome, placementId: b.placementId?.toLowerCase() ?? null },
      { note: b.note },
      c,
      m,
      r,
    );
  }

  @CommandRoute(':id/case-request')
  @Allow(['officer'], IN_PREVENTION)
  @ApiOkResponse({ description: '`{ id, revision, caseId }`: a process manager opens the case, linked both ways' })
  @ApiProblems(...PROBLEMS)
  requestCase(
    @Param('id', UUID) id: string,
    @Body() b: CaseRequestDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const caseId = randomUUID();
    return this.act(
      id,
      {
        type: 'RequestCase',
        caseId,
        categories: b.categories,
        categoryTokens: [],
        sexToken: null,
        destinationCountry: b.destinationCountry ?? null,
      },
      { complaint: b.complaint },
      c,
      m,
      r,
      { caseId },
    );
  }

  @CommandRoute(':id/closure')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  close(
    @Param('id', UUID) id: string,
    @Body() _b: EmptyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ClosePrevention' }, {}, c, m, r);
  }

  private async act(
    id: string,
    step: PreventionStep,
    secrets: Record<string, string | undefined>,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
    created: Record<string, string> = {},
  ) {
    const written = await this.commands.execute(new ActOnPrevention(id, step, secrets, context, ifMatch));
    return { ...revisionResponse(response, written.id, written.revision, written.position), ...created };
  }
}

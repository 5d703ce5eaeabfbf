import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParam, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA, IN_CASE, READERS } from '../access/rules';
import { RecordsAccess } from '../audit/access-log';
import { parseAsOf } from '../http/as-of';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import type { HistoryEntry } from '../http/history';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { ValidationFailed } from '../http/problem';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import {
  ActionOutcomeDto,
  AssignDto,
  ClassifyDto,
  EmptyDto,
  EvidenceDto,
  MinutesDto,
  NoteDto,
  OpenCaseDto,
  ReasonDto,
  ReferralDto,
  ResolutionDto,
  StartActionDto,
  VerifyDto,
} from './cases.dto';
import { ActOnCase, type CaseStep, type CaseView, GetCase, GetCaseHistory, OpenCase } from './cases.handlers';

const UUID = new UuidPipe();
const PROBLEMS = [400, 404, 409, 412, 422];

/** Case accompaniment over HTTP: one POST per command, If-Match and Idempotency-Key honoured. */
@ApiTags('cases')
@ApiAuthenticated()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async open(@Body() body: OpenCaseDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new OpenCase(body, context));
    response.setHeader('Location', `/cases/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

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

  @Get(':id/history')
  @Allow(READERS, IN_CASE)
  @RecordsAccess('case')
  @ApiOkResponse({ description: 'Every event, in order, with its actor' })
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetCaseHistory(id)) };
  }

  @CommandRoute(':id/verification')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  verify(
    @Param('id', UUID) id: string,
    @Body() b: VerifyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'VerifyCase', procedural: b.procedural, placementId: b.placementId?.toLowerCase() ?? null }, {}, c, m, r);
  }

  @CommandRoute(':id/classification')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  classify(
    @Param('id', UUID) id: string,
    @Body() b: ClassifyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ClassifyCase', urgency: b.urgency, categories: b.categories ?? null }, {}, c, m, r);
  }

  @CommandRoute(':id/assignment')
  // Supervisors share out the work and reopen; closure is theirs to approve, never the resolver's.
  @Allow(['officer', 'supervisor'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  assign(
    @Param('id', UUID) id: string,
    @Body() b: AssignDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'AssignCase', officerId: b.officerId, reason: b.reason ?? null }, {}, c, m, r);
  }

  @Post(':id/actions')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{ id, revision, actionId }`' })
  @ApiProblems(...PROBLEMS)
  startAction(
    @Param('id', UUID) id: string,
    @Body() b: StartActionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const actionId = (b.actionId ?? randomUUID()).toLowerCase();
    return this.act(
      id,
      { type: 'StartAction', actionId, kind: b.kind, amountClaimed: b.amountClaimed ?? null },
      { note: b.note },
      c,
      m,
      r,
      { actionId },
    );
  }

  @Post(':id/referrals')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{ id, revision, actionId }`: a referral is an action of its own' })
  @ApiProblems(...PROBLEMS)
  refer(
    @Param('id', UUID) id: string,
    @Body() b: ReferralDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const actionId = (b.actionId ?? randomUUID()).toLowerCase();
    return this.act(id, { type: 'MakeReferral', actionId, to: b.to, organisation: b.organisation }, { note: b.note }, c, m, r, {
      actionId,
    });
  }

  @CommandRoute(':id/actions/:actionId/outcome')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  outcome(
    @Param('id', UUID) id: string,
    @Param('actionId', UUID) actionId: string,
    @Body() b: ActionOutcomeDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    if (b.outcome !== 'no_response' && b.reason !== undefined)
      throw new ValidationFailed([{ field: 'reason', message: 'is only for the outcome no_response' }]);
    // The policy's waiting period is added by the handler.
    return this.act(
      id,
      { type: 'RecordActionOutcome', actionId, outcome: b.outcome, amountPaid: b.amountPaid ?? null, noResponseAfterDays: 0 },
      { note: b.note, reason: b.reason },
      c,
      m,
      r,
    );
  }

  @CommandRoute(':id/actions/:actionId/minutes')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  minutes(
    @Param('id', UUID) id: string,
    @Param('actionId', UUID) actionId: string,
    @Body() b: MinutesDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'RecordMediationMinutes', actionId }, { minutes: b.minutes }, c, m, r);
  }

  @Post(':id/notes')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  note(
    @Param('id', UUID) id: string,
    @Body() b: NoteDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const noteId = randomUUID();
    return this.act(id, { type: 'AddNote', noteId }, { text: b.text }, c, m, r, { noteId });
  }

  @Post(':id/evidence')
  @Allow(['officer'], IN_CASE)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  evidence(
    @Param('id', UUID) id: string,
    @Body() b: EvidenceDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const evidenceId = randomUUID();
    return this.act(id, { type: 'AddEvidence', evidenceId, sha256: b.sha256 }, { description: b.description }, c, m, r, { evidenceId });
  }

  @CommandRoute(':id/resolution')
  @Allow(['officer'], IN_CASE)
  @ApiOkResponse({ description: "Resolved: the case now awaits a supervisor's approval to close" })
  @ApiProblems(...PROBLEMS)
  resolve(
    @Param('id', UUID) id: string,
    @Body() b: ResolutionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(
      id,
      { type: 'ResolveCase', outcome: b.outcome, amountRecovered: b.amountRecovered ?? null, allowOpenReferrals: false },
      { summary: b.summary },
      c,
      m,
      r,
    );
  }

  @CommandRoute(':id/closure-approval')
  @Allow(['supervisor'], IN_CASE)
  @ApiOkResponse({ description: 'Approved and closed; the approver must not be who resolved the case' })
  @ApiProblems(...PROBLEMS)
  approve(
    @Param('id', UUID) id: string,
    @Body() _b: EmptyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ApproveClosure' }, {}, c, m, r);
  }

  @CommandRoute(':id/closure-rejection')
  @Allow(['supervisor'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  reject(
    @Param('id', UUID) id: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'RejectClosure', reason: b.reason }, {}, c, m, r);
  }

  @CommandRoute(':id/suspension')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  suspend(
    @Param('id', UUID) id: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'SuspendCase', reason: b.reason }, {}, c, m, r);
  }

  @CommandRoute(':id/resumption')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  resume(
    @Param('id', UUID) id: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ResumeCase', reason: b.reason }, {}, c, m, r);
  }

  @CommandRoute(':id/reopening')
  @Allow(['officer', 'supervisor'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  reopen(
    @Param('id', UUID) id: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ReopenCase', reason: b.reason }, {}, c, m, r);
  }

  private async act(
    id: string,
    step: CaseStep,
    secrets: Record<string, string | undefined>,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
    created: Record<string, string> = {},
  ) {
    const written = await this.commands.execute(new ActOnCase(id, step, secrets, context, ifMatch));
    return { ...revisionResponse(response, written.id, written.revision, written.position), ...created };
  }
}

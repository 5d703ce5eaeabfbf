import type { RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, Param, Post, Query as QueryParam, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../access/rules';
import { Clock } from '../http/clock';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import {
  BreachDto,
  BreachNoticeDto,
  BreachSubjectsDto,
  ConsentWithdrawalDto,
  DataSubjectRequestDto,
  RequestAnswerDto,
  RequestListQuery,
} from './privacy.dto';
import {
  ActOnBreach,
  AnswerRequest,
  type BreachView,
  type ConsentWithdrawal,
  ListBreaches,
  ListRequests,
  ReceiveRequest,
  type RequestView,
  WithdrawConsent,
} from './privacy.handlers';

const UUID = new UuidPipe();

/** Consent and data-subject requests of one person (Law 27/2022): the administrators' duty. */
@ApiTags('subjects')
@ApiAuthenticated()
@Controller('subjects')
export class SubjectRightsController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(':id/consent-withdrawal')
  @Allow(['admin'], IN_SUBJECT)
  @ApiOkResponse({
    description:
      '`{ id, revision, purpose, stopsBy, retained }`: no new processing for the purpose from now on (steps on those records are refused with 409 CONSENT_WITHDRAWN, except those that end them); `retained` lists the records whose history stays, and why',
  })
  @ApiProblems(400, 404, 409)
  async withdraw(
    @Param('id', UUID) id: string,
    @Body() body: ConsentWithdrawalDto,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written: ConsentWithdrawal = await this.commands.execute(new WithdrawConsent(id, body.purpose, context));
    return {
      ...revisionResponse(response, written.id, written.revision, written.position),
      purpose: written.purpose,
      stopsBy: written.stopsBy,
      retained: written.retained,
    };
  }

  @Post(':id/requests')
  @Allow(['admin'], IN_SUBJECT)
  @ApiCreatedResponse({
    description:
      '`{ id, revision }`: the request on record, due within 3 × 24 hours of its receipt (`X-Occurred-At` when it arrived earlier)',
  })
  @ApiProblems(400, 404)
  async receive(
    @Param('id', UUID) id: string,
    @Body() body: DataSubjectRequestDto,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ReceiveRequest(id, body, context));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

/** Every data-subject request, with its deadline: the administrators' worklist of requests. */
@ApiTags('subjects')
@ApiAuthenticated()
@Controller('data-subject-requests')
export class DataSubjectRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Allow(['admin'])
  @ApiOkResponse({
    description: 'requests by deadline, soonest first: `open` (default), `overdue` (open past 3 × 24 hours), `answered` or `all`',
  })
  @ApiProblems(400)
  async list(@QueryParam() query: RequestListQuery): Promise<{ items: RequestView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListRequests(query.status, this.clock.now())), nextCursor: null };
  }

  @CommandRoute(':id/answer')
  @Allow(['admin'])
  @ApiOkResponse({ description: "the answer on record (sealed with the person's key); `late` when after the deadline" })
  @ApiProblems(400, 404, 409, 412)
  async answer(
    @Param('id', UUID) id: string,
    @Body() body: RequestAnswerDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new AnswerRequest(id, body, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

// Breaches are the deploying organisation's to record and notify: no personal content, subject ids only.
/** Personal-data breaches: the subjects concerned and the written notices, due within 3 × 24 hours of discovery. */
@ApiTags('subjects')
@ApiAuthenticated()
@Controller('breaches')
export class BreachesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`: the breach on record, its notice due 3 × 24 hours after discovery' })
  @ApiProblems(400)
  async record(@Body() body: BreachDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new ActOnBreach(undefined, { kind: 'record', dto: body }, context, undefined));
    response.setHeader('Location', `/breaches/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @Get()
  @Allow(['admin'])
  @ApiOkResponse({ description: 'every breach, newest first, with its notices and whether the notice to the subjects is overdue' })
  async list(): Promise<{ items: BreachView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListBreaches(this.clock.now())), nextCursor: null };
  }

  @CommandRoute(':id/subjects')
  @Allow(['admin'])
  @ApiProblems(400, 404, 412)
  async subjects(
    @Param('id', UUID) id: string,
    @Body() body: BreachSubjectsDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnBreach(id, { kind: 'subjects', subjectIds: body.subjectIds }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/notices')
  @Allow(['admin'])
  @ApiOkResponse({ description: 'the written notice on record; `late` when sent after the deadline' })
  @ApiProblems(400, 404, 409, 412)
  async notice(
    @Param('id', UUID) id: string,
    @Body() body: BreachNoticeDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnBreach(id, { kind: 'notice', dto: body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

import type { RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA, IN_SUBJECT, READERS } from '../access/rules';
import { RecordsAccess } from '../audit/access-log';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import type { HistoryEntry } from '../http/history';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { CorrectSubjectDto, ErasureDto, LegalHoldDto, NikLookupDto, ReasonDto, RegisterSubjectDto } from './subjects.dto';
import {
  type AccessReport,
  CorrectSubject,
  DecideOnSubject,
  GetSubject,
  GetSubjectHistory,
  LookupByNik,
  personalFields,
  ProvideAccessReport,
  RegisterSubject,
  type SubjectView,
} from './subjects.handlers';

const UUID = new UuidPipe();

/** Data subjects: the people whose personal data Jejak holds, and their rights under Law 27/2022. */
@ApiTags('subjects')
@ApiAuthenticated()
@Controller('subjects')
export class SubjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409)
  async register(@Body() body: RegisterSubjectDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(
      new RegisterSubject(body.subjectId, body.kind, body.areaCode, body.consentBasis, personalFields(body), context),
    );
    response.setHeader('Location', `/subjects/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  /** By POST, so that the NIK never appears in a URL (and so in no proxy or access log). */
  @CommandRoute('lookup')
  // Duplicate check by NIK: any officer or supervisor may learn that a person is already registered.
  @Allow(['officer', 'supervisor'])
  @ApiOkResponse({ description: '`{ items: [{ id }] }`: the subject registered with this NIK, if any' })
  @ApiProblems(400)
  async lookup(@Body() body: NikLookupDto): Promise<{ items: { id: string }[]; nextCursor: null }> {
    const id = await this.queries.execute(new LookupByNik(body.nik));
    return { items: id ? [{ id }] : [], nextCursor: null };
  }

  @Get(':id')
  @Allow(READERS, IN_SUBJECT)
  @RecordsAccess('subject')
  @ApiOkResponse({ description: 'The subject with personal fields opened, or "[erased]"; ETag' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<SubjectView> {
    const { view, revision } = await this.queries.execute(new GetSubject(id));
    response.setHeader('ETag', `"${revision}"`);
    return view;
  }

  @Get(':id/history')
  @Allow(READERS, IN_SUBJECT)
  @RecordsAccess('subject')
  @ApiOkResponse({ description: 'Every event of the subject, in order, with actors' })
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetSubjectHistory(id)) };
  }

  @CommandRoute(':id/corrections')
  @Allow(['officer'], IN_SUBJECT)
  @ApiProblems(400, 404, 409, 412)
  async correct(
    @Param('id', UUID) id: string,
    @Body() body: CorrectSubjectDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new CorrectSubject(id, personalFields(body), body.reason, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/legal-hold')
  @Allow(['supervisor', 'admin'], IN_SUBJECT)
  @ApiProblems(400, 404, 409, 412)
  async hold(
    @Param('id', UUID) id: string,
    @Body() body: LegalHoldDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const hold = { reason: body.reason, legalBasis: body.legalBasis, ...(body.reference ? { reference: body.reference } : {}) };
    const written = await this.commands.execute(new DecideOnSubject(id, { type: 'PlaceLegalHold', hold }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/legal-hold/release')
  @Allow(['supervisor', 'admin'], IN_SUBJECT)
  @ApiProblems(400, 404, 409, 412)
  async release(
    @Param('id', UUID) id: string,
    @Body() body: ReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(
      new DecideOnSubject(id, { type: 'ReleaseLegalHold', reason: body.reason }, context, ifMatch),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/erasure')
  // Data-subject requests are the deploying organisation's duty (Law 27/2022): admins answer them.
  @Allow(['admin'], IN_SUBJECT)
  @ApiOkResponse({ description: 'The subject key is destroyed; every personal field now reads "[erased]"' })
  @ApiProblems(400, 404, 409, 412)
  async erase(
    @Param('id', UUID) id: string,
    @Body() body: ErasureDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(
      new DecideOnSubject(id, { type: 'EraseSubject', reason: body.reason, legalBasis: body.legalBasis }, context, ifMatch),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @Get(':id/report')
  @Allow(['admin'], IN_SUBJECT)
  @RecordsAccess('subject')
  @ApiOkResponse({
    description:
      "Data-subject access report: the personal data held and every processing of it; ETag (the subject record's revision once the report is recorded), for If-Match on the requests that follow",
  })
  @ApiProblems(400, 404)
  async report(
    @Param('id', UUID) id: string,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccessReport> {
    const report: AccessReport = await this.commands.execute(new ProvideAccessReport(id, context));
    const last = report.processing.at(-1);
    if (last) response.setHeader('ETag', `"${last.revision}"`);
    return report;
  }
}

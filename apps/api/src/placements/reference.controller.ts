import type { RequestContext } from '@jejak/kernel';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, READERS } from '../access/rules';
import { Clock } from '../http/clock';
import { CommandRoute, IfMatch } from '../http/command-route';
import { Ctx } from '../http/context';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import {
  LicenseAgencyDto,
  MoratoriumDto,
  MoratoriumListQuery,
  RecruitmentPermitDto,
  RenewLicenceDto,
  RevokeLicenceDto,
} from './placements.dto';
import {
  ActOnAgency,
  type AgencyView,
  ChangeMoratorium,
  GetAgency,
  ListAgencies,
  ListMoratoriums,
  type MoratoriumEntry,
} from './reference.handlers';

const UUID = new UuidPipe();

// Reference data: everyone who works with placements reads it; admins keep it.
/** Licensed placement companies (P3MI): reference data, each an `agency-<uuid>` stream, kept by admins. */
@ApiTags('reference data')
@ApiAuthenticated()
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async license(@Body() body: LicenseAgencyDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const { agencyId, ...licence } = body;
    const written = await this.commands.execute(new ActOnAgency(agencyId, { type: 'LicenseAgency', ...licence }, context, undefined));
    response.setHeader('Location', `/agencies/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @Get()
  @Allow([...READERS, 'admin'])
  @ApiOkResponse({ description: 'All companies, with whether each is licensed today' })
  async list(): Promise<{ items: AgencyView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListAgencies()), nextCursor: null };
  }

  @Get(':id')
  @Allow([...READERS, 'admin'])
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<AgencyView> {
    const { view, revision } = await this.queries.execute(new GetAgency(id));
    response.setHeader('ETag', `"${revision}"`);
    return view;
  }

  @CommandRoute(':id/renewal')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412, 422)
  async renew(
    @Param('id', UUID) id: string,
    @Body() body: RenewLicenceDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnAgency(id, { type: 'RenewAgencyLicence', ...body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/recruitment-permits')
  @Allow(['admin'])
  @ApiOkResponse({ description: 'A recruitment permit (SIP2MI) for one destination and period; job orders of the P3MI scheme name one' })
  @ApiProblems(400, 404, 409, 412, 422)
  async permit(
    @Param('id', UUID) id: string,
    @Body() body: RecruitmentPermitDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnAgency(id, { type: 'IssueRecruitmentPermit', ...body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute(':id/revocation')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412, 422)
  async revoke(
    @Param('id', UUID) id: string,
    @Body() body: RevokeLicenceDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnAgency(id, { type: 'RevokeAgencyLicence', ...body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

/** Destinations and sectors under moratorium; seeded from Kepmenaker 260/2015, changed by admins. */
@ApiTags('reference data')
@ApiAuthenticated()
@Controller('moratoriums')
export class MoratoriumsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Allow([...READERS, 'admin'])
  @ApiOkResponse({
    description:
      'The destination and sector pairs where placement was stopped on `on` (default today), with the legal basis and the day each took effect',
  })
  @ApiProblems(400)
  async list(@Query() query: MoratoriumListQuery): Promise<{ items: MoratoriumEntry[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListMoratoriums(query.on)), nextCursor: null };
  }

  @CommandRoute('')
  @Allow(['admin'])
  @ApiProblems(400, 409, 422)
  async declare(@Body() body: MoratoriumDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(
      new ChangeMoratorium(
        { type: 'DeclareMoratorium', ...body, effectiveOn: body.effectiveOn ?? this.clock.today(context.occurredAt) },
        context,
      ),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  @CommandRoute('lifting')
  @Allow(['admin'])
  @ApiProblems(400, 409, 422)
  async lift(@Body() body: MoratoriumDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(
      new ChangeMoratorium(
        { type: 'LiftMoratorium', ...body, effectiveOn: body.effectiveOn ?? this.clock.today(context.occurredAt) },
        context,
      ),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

import { foldStream } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import {
  agencyDecider,
  agencyStream,
  EMPLOYER_TYPES,
  type EmployerType,
  type JobOrder,
  type JobOrderChecks,
  jobOrderUnderMoratoriumOn,
  licenceValidOn,
  permitOn,
  type Sector,
  SECTORS,
} from '@jejak/placement';
import { Body, Param, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { Clock } from '../../http/clock';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { DatedDto } from '../placements.dto';
import { PlacementSteps, Written } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';
import { moratoriumList } from '../reference.handlers';

export class SelectJobOrder extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly dto: JobOrderDto,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

export class JobOrderDto extends DatedDto {
  @ApiProperty({ enum: ['P3MI', 'G2G'] })
  @IsIn(['P3MI', 'G2G'])
  scheme!: 'P3MI' | 'G2G';

  @ApiPropertyOptional({ description: 'the licensed placement company (P3MI scheme)' })
  @Optional()
  @IsUUID()
  agencyId?: string;

  @ApiProperty({ example: 'JO-2026-0042' })
  @IsString()
  @Length(1, 100)
  jobOrderNumber!: string;

  @ApiProperty({ example: 'MY', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry!: string;

  @ApiProperty({ enum: SECTORS })
  @IsIn(SECTORS)
  sector!: Sector;

  @ApiProperty({
    enum: EMPLOYER_TYPES,
    example: 'legal_entity',
    description:
      'who employs the worker: an `individual` (a household, whatever the job) or a `legal_entity`; the Kepmenaker 260/2015 moratorium stops individual employers',
  })
  @IsIn(EMPLOYER_TYPES)
  employerType!: EmployerType;

  @ApiPropertyOptional({
    example: 'SIP2MI 0042/2026',
    description:
      'P3MI scheme: the recruitment permit (SIP2MI) the company recruits under, on record with the company, for this destination and in force on the date',
  })
  @Optional()
  @IsString()
  @Length(1, 100)
  recruitmentPermitNumber?: string;

  @ApiProperty({ example: 'production operator' })
  @IsString()
  @Length(1, 200)
  position!: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  employer?: string;
}

/** Looks up the licence as it stood on the job order's date and the moratorium list, then decides. */
@CommandHandler(SelectJobOrder)
export class SelectJobOrderHandler implements ICommandHandler<SelectJobOrder> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly clock: Clock,
  ) {}

  async execute({ placementId, dto, context, ifMatch }: SelectJobOrder): Promise<Written> {
    const on = dto.on ?? this.clock.today(context.occurredAt);
    const store = this.steps.store;
    let agency: JobOrderChecks['agency'] = null;
    if (dto.scheme === 'P3MI' && dto.agencyId) {
      const { state } = await foldStream(store, agencyStream(dto.agencyId.toLowerCase()), agencyDecider.evolve, agencyDecider.initialState);
      const permit = dto.recruitmentPermitNumber ? permitOn(state, dto.recruitmentPermitNumber, dto.destinationCountry, on) : 'missing';
      agency = {
        exists: state.status !== 'none',
        licenceNumber: state.licenceNumber ?? null,
        validOnDate: licenceValidOn(state, on),
        permit,
      };
    }
    const moratorium = await moratoriumList(store, this.clock);
    const jobOrder: JobOrder = {
      jobOrderNumber: dto.jobOrderNumber,
      scheme: dto.scheme,
      agencyId: dto.scheme === 'P3MI' ? (dto.agencyId?.toLowerCase() ?? null) : null,
      destinationCountry: dto.destinationCountry,
      sector: dto.sector,
      employerType: dto.employerType,
      position: dto.position,
      employer: dto.employer ?? null,
      recruitmentPermitNumber: dto.scheme === 'P3MI' ? (dto.recruitmentPermitNumber ?? null) : null,
    };
    return this.steps.run(
      placementId,
      () => ({
        type: 'SelectForJobOrder',
        jobOrder,
        checks: { agency, underMoratorium: jobOrderUnderMoratoriumOn(moratorium, jobOrder, on) },
      }),
      on,
      context,
      ifMatch,
    );
  }
}

@PlacementsRoute()
export class SelectJobOrderRoute extends PlacementRoutes {
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
}

import { randomUUID } from 'node:crypto';

import { BUSINESS_SECTORS, businessDecider, type BusinessSector, businessStream } from '@jejak/enterprise';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { requireSubjectInScope } from '../../http/references';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { BusinessesRoute, EnterpriseRoutes } from '../enterprise.routes';

export class RegisterBusinessDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  businessId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village where the business is: the record belongs to it' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ example: 'Keripik Singkong Bu Ani' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: BUSINESS_SECTORS })
  @IsIn(BUSINESS_SECTORS)
  sector!: BusinessSector;

  @DateField({ example: '2025-06-01', description: 'the day it started; defaults to today', optional: true })
  startedOn?: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'the members who own it, by subject id (at least one)' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  owners!: string[];
}

export class RegisterBusiness extends Command<Written> {
  constructor(
    readonly dto: RegisterBusinessDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterBusiness)
export class RegisterBusinessHandler implements ICommandHandler<RegisterBusiness> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: RegisterBusiness): Promise<Written> {
    const owners = dto.owners.map((o) => o.toLowerCase());
    for (const owner of new Set(owners)) await requireSubjectInScope(this.store, 'owners', owner, context);
    const businessId = (dto.businessId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      businessStream(businessId),
      businessDecider,
      {
        type: 'RegisterBusiness',
        businessId,
        areaCode: dto.areaCode,
        name: dto.name,
        sector: dto.sector,
        startedOn: dto.startedOn ?? this.clock.today(envelope.at),
        owners,
        ...envelope,
      },
      { metadata: eventMetadata(context) },
    );
    return { id: businessId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@BusinessesRoute()
export class RegisterBusinessRoute extends EnterpriseRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 403, 409, 422)
  async register(@Body() body: RegisterBusinessDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new RegisterBusiness(body, context));
    response.setHeader('Location', `/businesses/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

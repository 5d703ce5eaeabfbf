import { randomUUID } from 'node:crypto';

import {
  CONSULTATION_TOPICS,
  consultationDecider,
  consultationStream,
  type ConsultationTopic,
  CONSULTED_AGENCIES,
  type ConsultedAgency,
} from '@jejak/enterprise';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsUUID, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { requireBusinessInScope } from '../../http/references';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { ConsultationsRoute, EnterpriseRoutes } from '../enterprise.routes';

export class RecordConsultationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  consultationId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village the consultation was for: the record belongs to it' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @DateField({ example: '2026-05-02', description: 'the day it was held; defaults to today', optional: true })
  heldOn?: string;

  @ApiProperty({ enum: CONSULTED_AGENCIES, description: 'with whom' })
  @IsIn(CONSULTED_AGENCIES)
  agency!: ConsultedAgency;

  @ApiProperty({ enum: CONSULTATION_TOPICS })
  @IsIn(CONSULTATION_TOPICS)
  topic!: ConsultationTopic;

  @ApiProperty({ type: [String], format: 'uuid', description: 'the businesses concerned, on record in your territory' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  businesses!: string[];
}

export class RecordConsultation extends Command<Written> {
  constructor(
    readonly dto: RecordConsultationDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RecordConsultation)
export class RecordConsultationHandler implements ICommandHandler<RecordConsultation> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: RecordConsultation): Promise<Written> {
    const businesses = dto.businesses.map((b) => b.toLowerCase());
    for (const business of new Set(businesses)) await requireBusinessInScope(this.store, 'businesses', business, context);
    const consultationId = (dto.consultationId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      consultationStream(consultationId),
      consultationDecider,
      {
        type: 'RecordConsultation',
        consultationId,
        areaCode: dto.areaCode,
        heldOn: dto.heldOn ?? this.clock.today(envelope.at),
        agency: dto.agency,
        topic: dto.topic,
        businesses,
        ...envelope,
      },
      { metadata: eventMetadata(context) },
    );
    return { id: consultationId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@ConsultationsRoute()
export class RecordConsultationRoute extends EnterpriseRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 403, 409, 422)
  async record(@Body() body: RecordConsultationDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new RecordConsultation(body, context));
    response.setHeader('Location', `/consultations/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

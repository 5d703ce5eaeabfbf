import { randomUUID } from 'node:crypto';

import { groupDecider, groupStream, LEGAL_STATUSES, type LegalStatus } from '@jejak/enterprise';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { EnterpriseRoutes, GroupsRoute } from '../enterprise.routes';

export class FormGroupDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  groupId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village where the group is: the record belongs to it' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiProperty({ example: 'Kelompok Usaha Maju Bersama' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @DateField({ example: '2025-03-01', description: 'the day it was formed; defaults to today', optional: true })
  formedOn?: string;

  @ApiProperty({ enum: LEGAL_STATUSES, description: 'an informal group, or a registered cooperative' })
  @IsIn(LEGAL_STATUSES)
  legalStatus!: LegalStatus;

  @ApiPropertyOptional({ example: 'AHU-0001234.AH.01.26', description: "a cooperative's registration number (required for one)" })
  @Optional()
  @IsString()
  @Length(1, 100)
  registrationNumber?: string;
}

export class FormGroup extends Command<Written> {
  constructor(
    readonly dto: FormGroupDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(FormGroup)
export class FormGroupHandler implements ICommandHandler<FormGroup> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: FormGroup): Promise<Written> {
    const groupId = (dto.groupId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      groupStream(groupId),
      groupDecider,
      {
        type: 'FormGroup',
        groupId,
        areaCode: dto.areaCode,
        name: dto.name,
        formedOn: dto.formedOn ?? this.clock.today(envelope.at),
        legalStatus: dto.legalStatus,
        registrationNumber: dto.registrationNumber ?? null,
        ...envelope,
      },
      { metadata: eventMetadata(context) },
    );
    return { id: groupId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@GroupsRoute()
export class FormGroupRoute extends EnterpriseRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 403, 409, 422)
  async form(@Body() body: FormGroupDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new FormGroup(body, context));
    response.setHeader('Location', `/business-groups/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { sessionDecider, sessionStream } from '@jejak/information';
import type { RequestContext } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
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
import { readCatalog } from '../information.handlers';
import { InformationRoutes, SessionsRoute } from '../information.routes';

export class RecordSessionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  sessionId?: string;

  @ApiProperty({ example: '3201012001', description: 'the village where the session was held: the record belongs to it' })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @DateField({ example: '2026-03-09', description: 'the day it was held; defaults to today', optional: true })
  heldOn?: string;

  @ApiProperty({ example: 'Balai desa Sukamaju', description: "a public place; never a person's home address" })
  @IsString()
  @Length(1, 200)
  place!: string;

  @ApiProperty({ type: [String], example: ['safe_migration_procedure'], description: 'topic codes from GET /information-topics' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  topics!: string[];

  @ApiProperty({ example: 42, description: 'people reached, counted at the session (members named below included)' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  peopleReached!: number;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'members on record who attended, by subject id' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  attendees?: string[];
}

export class RecordSession extends Command<Written> {
  constructor(
    readonly dto: RecordSessionDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RecordSession)
export class RecordSessionHandler implements ICommandHandler<RecordSession> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: RecordSession): Promise<Written> {
    const attendees = (dto.attendees ?? []).map((id) => id.toLowerCase());
    for (const id of new Set(attendees)) await requireSubjectInScope(this.store, 'attendees', id, context);
    const { catalog } = await readCatalog(this.store);
    const sessionId = (dto.sessionId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      {
        type: 'RecordSession',
        sessionId,
        areaCode: dto.areaCode,
        heldOn: dto.heldOn ?? this.clock.today(envelope.at),
        place: dto.place,
        topics: dto.topics,
        peopleReached: dto.peopleReached,
        attendees,
        catalog: catalog.codes,
        ...envelope,
      },
      { metadata: eventMetadata(context) },
    );
    return { id: sessionId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@SessionsRoute()
export class RecordSessionRoute extends InformationRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 403, 409, 422)
  async record(@Body() body: RecordSessionDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new RecordSession(body, context));
    response.setHeader('Location', `/sessions/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

import { randomUUID } from 'node:crypto';

import { communityDecider, communityStream } from '@jejak/community';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { JejakError, type RequestContext, scopeCovers } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BODY_AREA } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { CommunitiesRoute, CommunityRoutes } from '../communities.routes';

export class FormCommunityDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client (offline capture); generated if absent' })
  @Optional()
  @IsUUID()
  communityId?: string;

  @ApiProperty({ example: '3201012001', description: "the community's own village: the record belongs to it" })
  @Matches(/^\d{10}$/, { message: 'must be a 10-digit village code' })
  areaCode!: string;

  @ApiPropertyOptional({ type: [String], example: ['3201012002'], description: 'the other villages it serves, each in your territory' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{10}$/, { each: true, message: 'each must be a 10-digit village code' })
  otherVillages?: string[];

  @ApiProperty({ example: 'KKBM Sukamaju' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @DateField({ example: '2026-01-15', description: 'the day it was formed; defaults to today', optional: true })
  formedOn?: string;
}

/** A village the caller does not cover: refused as the guard refuses the community's own village. */
class VillageOutOfScope extends JejakError {
  readonly code = 'OUT_OF_SCOPE';
  readonly kind = 'forbidden' as const;
}

export class FormCommunity extends Command<Written> {
  constructor(
    readonly dto: FormCommunityDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(FormCommunity)
export class FormCommunityHandler implements ICommandHandler<FormCommunity> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: FormCommunity): Promise<Written> {
    const others = dto.otherVillages ?? [];
    if (others.some((village) => !context.actor!.scopes.some((s) => scopeCovers(s, village)))) {
      throw new VillageOutOfScope('A village the community serves is outside your territorial scope');
    }
    const communityId = (dto.communityId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      communityStream(communityId),
      communityDecider,
      {
        type: 'FormCommunity',
        communityId,
        villages: [dto.areaCode, ...others],
        name: dto.name,
        formedOn: dto.formedOn ?? this.clock.today(envelope.at),
        ...envelope,
      },
      { metadata: eventMetadata(context) },
    );
    return { id: communityId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@CommunitiesRoute()
export class FormCommunityRoute extends CommunityRoutes {
  @Post()
  @Allow(['officer'], IN_BODY_AREA)
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 403, 409, 422)
  async form(@Body() body: FormCommunityDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new FormCommunity(body, context));
    response.setHeader('Location', `/communities/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

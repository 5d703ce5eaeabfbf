import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { TOPIC_CODE, topicDecider, TOPICS_STREAM } from '@jejak/information';
import type { RequestContext } from '@jejak/kernel';
import { Body, Inject, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { InformationRoutes, TopicsRoute } from '../information.routes';

export class TopicNameDto {
  @ApiProperty({ example: 'Jaminan sosial pekerja migran' })
  @IsString()
  @Length(1, 120)
  id!: string;

  @ApiProperty({ example: "Migrant workers' social security" })
  @IsString()
  @Length(1, 120)
  en!: string;
}

export class AddTopicDto {
  @ApiProperty({ example: 'social_security', description: 'lower-case words joined by underscores; cannot change later' })
  @Matches(TOPIC_CODE, { message: 'must be 3-64 lower-case letters, digits or underscores, starting with a letter' })
  code!: string;

  @ApiProperty({ type: TopicNameDto, description: 'its name in Bahasa Indonesia and English' })
  @IsObject()
  @ValidateNested()
  @Type(() => TopicNameDto)
  name!: TopicNameDto;
}

export class AddTopic extends Command<Written> {
  constructor(
    readonly dto: AddTopicDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(AddTopic)
export class AddTopicHandler implements ICommandHandler<AddTopic> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: AddTopic): Promise<Written> {
    const result = await execute(
      this.store,
      TOPICS_STREAM,
      topicDecider,
      { type: 'AddTopic', code: dto.code, name: { id: dto.name.id, en: dto.name.en }, ...this.clock.envelope(context) },
      { metadata: eventMetadata(context) },
    );
    return { id: dto.code, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

@TopicsRoute()
export class AddTopicRoute extends InformationRoutes {
  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`: the topic is in the catalog from now on' })
  @ApiProblems(400, 409)
  async add(@Body() body: AddTopicDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new AddTopic(body, context));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

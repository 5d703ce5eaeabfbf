import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, execute, foldStream } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import {
  dataSubjectRequestStream,
  REQUEST_KINDS,
  requestDecider,
  type RequestKind,
  subjectDecider,
  subjectStream,
} from '@jejak/personal-data';
import { Body, Inject, Param, Post, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { Clock } from '../../http/clock';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE } from '../../tokens';
import { SubjectRightsRoute, SubjectRightsRoutes, UUID } from '../subject-rights.routes';

export class ReceiveRequest extends Command<Written> {
  constructor(
    readonly subjectId: string,
    readonly dto: DataSubjectRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

export class DataSubjectRequestDto {
  @ApiProperty({ enum: REQUEST_KINDS })
  @IsIn(REQUEST_KINDS)
  kind!: RequestKind;

  @ApiProperty({ example: 'letter', description: 'how the request arrived (letter, walk-in, phone, email, ...)' })
  @IsString()
  @Length(1, 50)
  channel!: string;
}

export async function subjectOrNotFound(store: EventStore, subjectId: string) {
  const { state, revision } = await foldStream(store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
  if (state.status === 'none' || revision === undefined) throw new NotFound('SUBJECT_NOT_FOUND', 'No such data subject');
  return state;
}

@CommandHandler(ReceiveRequest)
export class ReceiveRequestHandler implements ICommandHandler<ReceiveRequest> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, dto, context }: ReceiveRequest): Promise<Written> {
    const subject = await subjectOrNotFound(this.store, subjectId);
    const requestId = randomUUID();
    const command = {
      type: 'ReceiveRequest' as const,
      requestId,
      subjectId,
      areaCode: subject.areaCode!,
      kind: dto.kind,
      channel: dto.channel,
      ...this.clock.envelope(context),
    };
    const result = await execute(this.store, dataSubjectRequestStream(requestId), requestDecider, command, {
      metadata: eventMetadata(context),
    });
    return { id: requestId, revision: result.revision, position: result.position };
  }
}

@SubjectRightsRoute()
export class ReceiveRequestRoute extends SubjectRightsRoutes {
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

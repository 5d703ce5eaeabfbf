import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import {
  dataSubjectRequestStream,
  type PersonalDataVault,
  REQUEST_OUTCOMES,
  requestDecider,
  type RequestOutcome,
} from '@jejak/personal-data';
import { Body, Inject, Param, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Clock } from '../../http/clock';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse, type Written } from '../../http/revision';
import { EVENT_STORE, VAULT } from '../../tokens';
import { RequestRoutes, RequestsRoute } from '../requests.routes';
import { UUID } from '../subject-rights.routes';

export class AnswerRequest extends Command<Written> {
  constructor(
    readonly requestId: string,
    readonly dto: RequestAnswerDto,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

export class RequestAnswerDto {
  @ApiProperty({ enum: REQUEST_OUTCOMES })
  @IsIn(REQUEST_OUTCOMES)
  outcome!: RequestOutcome;

  @ApiProperty({ example: 'access report sent by post', description: "the answer given; stored sealed with the person's key" })
  @IsString()
  @Length(1, 5000)
  answer!: string;
}

@CommandHandler(AnswerRequest)
export class AnswerRequestHandler implements ICommandHandler<AnswerRequest> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ requestId, dto, context, ifMatch }: AnswerRequest): Promise<Written> {
    const result = await execute(
      this.store,
      dataSubjectRequestStream(requestId),
      requestDecider,
      async ({ state }) => {
        // The answer is about the person: sealed with their key; once they are erased, only that it was answered stays.
        const sealed = (await this.vault.hasKey(state.subjectId!)) ? await this.vault.seal(state.subjectId!, { answer: dto.answer }) : {};
        return { type: 'AnswerRequest' as const, outcome: dto.outcome, sealed, ...this.clock.envelope(context) };
      },
      {
        metadata: eventMetadata(context),
        notFound: () => new NotFound('REQUEST_NOT_FOUND', 'No such data-subject request'),
        ...(ifMatch !== undefined ? { ifMatch } : {}),
      },
    );
    return { id: requestId, revision: result.revision, position: result.position };
  }
}

@RequestsRoute()
export class AnswerRequestRoute extends RequestRoutes {
  @CommandRoute(':id/answer')
  @Allow(['admin'])
  @ApiOkResponse({ description: "the answer on record (sealed with the person's key); `late` when after the deadline" })
  @ApiProblems(400, 404, 409, 412)
  async answer(
    @Param('id', UUID) id: string,
    @Body() body: RequestAnswerDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new AnswerRequest(id, body, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}

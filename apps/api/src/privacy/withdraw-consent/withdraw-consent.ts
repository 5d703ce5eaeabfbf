import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import { type Purpose, PURPOSES, subjectDecider, subjectStream } from '@jejak/personal-data';
import { Body, Inject, Param, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { Clock } from '../../http/clock';
import { CommandRoute } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse, type Written } from '../../http/revision';
import { type RecordKind, recordsOf } from '../../subjects/subjects.handlers';
import { EVENT_STORE } from '../../tokens';
import { SubjectRightsRoute, SubjectRightsRoutes, UUID } from '../subject-rights.routes';
export class ConsentWithdrawalDto {
  @ApiProperty({ enum: PURPOSES, description: 'the purpose the person withdraws consent for' })
  @IsIn(PURPOSES)
  purpose!: Purpose;
}

/** The purpose each kind of record serves; a community membership serves none of them. */
export const PURPOSE_OF: Partial<Record<RecordKind, Purpose>> = {
  case: 'case_accompaniment',
  placement: 'placement_facilitation',
  prevention: 'prevention',
  enquiry: 'information_services',
  session: 'information_services',
};

/** Why what was processed before a withdrawal is kept: the program's records are a legal obligation. */
export const RETAINED_BASIS =
  'history kept: processing before the withdrawal stays on record as a legal obligation of a public programme (Law 27/2022 art. 20(2)); nothing new is processed';

export interface ConsentWithdrawal extends Written {
  readonly purpose: Purpose;
  readonly stopsBy: string;
  /** The person's records for that purpose: their history is kept, nothing new is processed. */
  readonly retained: readonly { kind: string; id: string; basis: string }[];
}

export class WithdrawConsent extends Command<ConsentWithdrawal> {
  constructor(
    readonly subjectId: string,
    readonly purpose: Purpose,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(WithdrawConsent)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsent> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, purpose, context }: WithdrawConsent): Promise<ConsentWithdrawal> {
    // Stops at once (the law allows up to 3 × 24 hours): judged by the time the processing happens, never
    // a backdated time.
    const envelope = { ...this.clock.envelope(context), at: context.now };
    const { at } = envelope;
    const result = await execute(
      this.store,
      subjectStream(subjectId),
      subjectDecider,
      { type: 'WithdrawConsent', purpose, ...envelope },
      {
        metadata: eventMetadata(context),
        notFound: () => new NotFound('SUBJECT_NOT_FOUND', 'No such data subject'),
      },
    );
    const retained = (await recordsOf(this.store, subjectId))
      .filter((r) => PURPOSE_OF[r.kind] === purpose)
      .map((r) => ({ kind: r.kind, id: r.id, basis: RETAINED_BASIS }));
    return {
      id: subjectId,
      revision: result.revision,
      position: result.position,
      purpose,
      stopsBy: new Date(at.getTime() + 72 * 3_600_000).toISOString(),
      retained,
    };
  }
}

@SubjectRightsRoute()
export class WithdrawConsentRoute extends SubjectRightsRoutes {
  @CommandRoute(':id/consent-withdrawal')
  @Allow(['admin'], IN_SUBJECT)
  @ApiOkResponse({
    description:
      '`{ id, revision, purpose, stopsBy, retained }`: no new processing for the purpose from now on (steps on those records are refused with 409 CONSENT_WITHDRAWN, except those that end them); `retained` lists the records whose history stays, and why',
  })
  @ApiProblems(400, 404, 409)
  async withdraw(
    @Param('id', UUID) id: string,
    @Body() body: ConsentWithdrawalDto,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written: ConsentWithdrawal = await this.commands.execute(new WithdrawConsent(id, body.purpose, context));
    return {
      ...revisionResponse(response, written.id, written.revision, written.position),
      purpose: written.purpose,
      stopsBy: written.stopsBy,
      retained: written.retained,
    };
  }
}

import { type EventStore, foldStream } from '@jejak/event-store';
import {
  type EnquiryChannel,
  enquiryDecider,
  type EnquiryEvent,
  type EnquiryOutcome,
  enquiryStream,
  type ReferralTarget,
} from '@jejak/information';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_ENQUIRY, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE, VAULT } from '../../tokens';
import { enquiryNotFound } from '../information.handlers';
import { EnquiriesRoute, InformationRoutes, UUID } from '../information.routes';

/** An enquiry as the officers of its village see it: the question and answer opened, the referral and whether its record is open. */
export interface EnquiryView {
  readonly id: string;
  readonly areaCode: string;
  readonly receivedOn: string;
  readonly channel: EnquiryChannel;
  readonly topic: string;
  readonly enquirerSubjectId: string | null;
  readonly question: string | null;
  readonly answer: string | null;
  readonly outcome: EnquiryOutcome;
  readonly referral: { readonly to: ReferralTarget; readonly recordId: string; readonly opened: boolean } | null;
  readonly recordedBy: string;
  readonly revision: number;
}

export class GetEnquiry extends Query<EnquiryView> {
  constructor(readonly enquiryId: string) {
    super();
  }
}

@QueryHandler(GetEnquiry)
export class GetEnquiryHandler implements IQueryHandler<GetEnquiry> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ enquiryId }: GetEnquiry): Promise<EnquiryView> {
    let recorded: Extract<EnquiryEvent, { type: 'EnquiryRecorded' }>['data'] | undefined;
    const { state, revision } = await foldStream(
      this.store,
      enquiryStream(enquiryId),
      (s, e: EnquiryEvent) => {
        if (e.type === 'EnquiryRecorded') recorded = e.data;
        return enquiryDecider.evolve(s, e);
      },
      enquiryDecider.initialState,
    );
    if (!recorded || revision === undefined) throw enquiryNotFound();
    const opened = await this.vault.reveal(recorded.enquirerSubjectId ?? enquiryId, recorded.sealed as Record<string, string>);
    const referral = recorded.referral;
    return {
      id: enquiryId,
      areaCode: recorded.areaCode,
      receivedOn: recorded.receivedOn,
      channel: recorded.channel,
      topic: recorded.topic,
      enquirerSubjectId: recorded.enquirerSubjectId,
      question: opened.question ?? null,
      answer: opened.answer ?? null,
      outcome: recorded.outcome,
      referral: referral ? { to: referral.to, recordId: referral.recordId, opened: state.referralOpened } : null,
      recordedBy: recorded.recordedBy,
      revision: Number(revision),
    };
  }
}

@EnquiriesRoute()
export class GetEnquiryRoute extends InformationRoutes {
  @Get(':id')
  @Allow(READERS, IN_ENQUIRY)
  @RecordsAccess('enquiry')
  @ApiOkResponse({ description: 'The enquiry with ETag: channel, topic, question and answer, and where it was referred' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<EnquiryView> {
    const view = await this.queries.execute(new GetEnquiry(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

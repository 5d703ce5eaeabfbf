import { Module } from '@nestjs/common';

import { AddBreachSubjectsRoute } from './add-breach-subjects/add-breach-subjects';
import { AnswerRequestHandler, AnswerRequestRoute } from './answer-request/answer-request';
import { ListBreachesHandler, ListBreachesRoute } from './list-breaches/list-breaches';
import { ListRequestsHandler, ListRequestsRoute } from './list-requests/list-requests';
import { ActOnBreachHandler } from './privacy.handlers';
import { ReceiveRequestHandler, ReceiveRequestRoute } from './receive-request/receive-request';
import { RecordBreachRoute } from './record-breach/record-breach';
import { SendBreachNoticeRoute } from './send-breach-notice/send-breach-notice';
import { WithdrawConsentHandler, WithdrawConsentRoute } from './withdraw-consent/withdraw-consent';

/**
 * Data-subject requests, consent withdrawal and breaches: the deploying organisation's duties. One folder
 * per use case (route, DTO, own handler); the steps of a breach share ActOnBreach (privacy.handlers.ts).
 */
@Module({
  controllers: [
    WithdrawConsentRoute,
    ReceiveRequestRoute,
    ListRequestsRoute,
    AnswerRequestRoute,
    RecordBreachRoute,
    ListBreachesRoute,
    AddBreachSubjectsRoute,
    SendBreachNoticeRoute,
  ],
  providers: [
    WithdrawConsentHandler,
    ReceiveRequestHandler,
    AnswerRequestHandler,
    ListRequestsHandler,
    ActOnBreachHandler,
    ListBreachesHandler,
  ],
})
export class PrivacyModule {}

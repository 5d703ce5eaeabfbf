import { Module } from '@nestjs/common';

import { AddAttendeesRoute } from './add-attendees/add-attendees';
import { AddTopicHandler, AddTopicRoute } from './add-topic/add-topic';
import { CorrectPeopleReachedRoute } from './correct-people-reached/correct-people-reached';
import { GetEnquiryHandler, GetEnquiryRoute } from './get-enquiry/get-enquiry';
import { GetSessionHandler, GetSessionRoute } from './get-session/get-session';
import { ActOnSessionHandler } from './information.handlers';
import { ListTopicsHandler, ListTopicsRoute } from './list-topics/list-topics';
import { RecordEnquiryHandler, RecordEnquiryRoute } from './record-enquiry/record-enquiry';
import { RecordSessionHandler, RecordSessionRoute } from './record-session/record-session';

/**
 * Information services of the information-and-advocacy unit: the topic catalog, dissemination sessions and
 * enquiries answered or referred. One folder per use case; the steps on a session share ActOnSession.
 */
@Module({
  controllers: [
    ListTopicsRoute,
    AddTopicRoute,
    RecordSessionRoute,
    GetSessionRoute,
    AddAttendeesRoute,
    CorrectPeopleReachedRoute,
    RecordEnquiryRoute,
    GetEnquiryRoute,
  ],
  providers: [
    ListTopicsHandler,
    AddTopicHandler,
    RecordSessionHandler,
    GetSessionHandler,
    ActOnSessionHandler,
    RecordEnquiryHandler,
    GetEnquiryHandler,
  ],
})
export class InformationModule {}

import { Module } from '@nestjs/common';

import { BreachesController, DataSubjectRequestsController, SubjectRightsController } from './privacy.controller';
import { PRIVACY_HANDLERS } from './privacy.handlers';

/** Data-subject requests, consent withdrawal and breaches: the deploying organisation's duties. */
@Module({ controllers: [SubjectRightsController, DataSubjectRequestsController, BreachesController], providers: [...PRIVACY_HANDLERS] })
export class PrivacyModule {}

import { Module } from '@nestjs/common';

import { Indicators, ReportsController } from './indicator-report/indicator-report';
import { CaseListController, CasesList } from './list-cases/list-cases';
import { CommunityListController } from './list-communities/list-communities';
import { EnquiryListController } from './list-enquiries/list-enquiries';
import {
  BusinessListController,
  ConsultationListController,
  GroupListController,
  KurListController,
} from './list-enterprise/list-enterprise';
import { PlacementListController } from './list-placements/list-placements';
import { PreventionListController } from './list-preventions/list-preventions';
import { SessionListController } from './list-sessions/list-sessions';
import { Lists } from './lists';
import { ProjectionsAdminController } from './projections-admin/projections-admin';
import { WorklistController } from './worklist/worklist';

/**
 * Lists, the worklist, indicator reports and the projections' administration: one folder per use case
 * (route, query DTO, the service that answers it); the queries themselves are in @jejak/read-models.
 */
@Module({
  controllers: [
    CaseListController,
    PlacementListController,
    PreventionListController,
    SessionListController,
    CommunityListController,
    BusinessListController,
    GroupListController,
    ConsultationListController,
    KurListController,
    EnquiryListController,
    WorklistController,
    ReportsController,
    ProjectionsAdminController,
  ],
  providers: [CasesList, Lists, Indicators],
})
export class ReadModelsModule {}

import { Module } from '@nestjs/common';

import { CasesList } from './cases-list';
import { Indicators } from './indicators';
import { Lists } from './lists';
import {
  CaseListController,
  PlacementListController,
  PreventionListController,
  ProjectionsAdminController,
  ReportsController,
  WorklistController,
} from './read-models.controller';

/** Lists, the worklist, indicator reports and the projections' administration. */
@Module({
  controllers: [
    CaseListController,
    PlacementListController,
    PreventionListController,
    WorklistController,
    ReportsController,
    ProjectionsAdminController,
  ],
  providers: [CasesList, Lists, Indicators],
})
export class ReadModelsModule {}

import { Module } from '@nestjs/common';

import { PlacementsController } from './placements.controller';
import { PLACEMENT_HANDLERS } from './placements.handlers';
import { AgenciesController, MoratoriumsController } from './reference.controller';
import { REFERENCE_HANDLERS } from './reference.handlers';

/** Placement facilitation: the legal path abroad, with its reference data (agencies, moratoriums). */
@Module({
  controllers: [PlacementsController, AgenciesController, MoratoriumsController],
  providers: [...PLACEMENT_HANDLERS, ...REFERENCE_HANDLERS],
})
export class PlacementsModule {}

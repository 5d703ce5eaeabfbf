import { placementDecider, type PlacementEvent, placementStream } from '@jejak/placement';
import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, IN_PLACEMENT, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { RecordsAccess } from '../access-log';
import { Diff, DiffQuery } from '../diff.dto';
import { DiffRoute, DiffRoutes, UUID } from '../diff.routes';

@DiffRoute()
export class DiffPlacementRoute extends DiffRoutes {
  @Get('placements/:id/diff')
  @Allow(READERS, IN_PLACEMENT)
  @RecordsAccess('placement')
  @ApiOkResponse({ description: 'changed fields per event, with actors' })
  @ApiProblems(400, 404)
  placements(@Param('id', UUID) id: string, @Query() q: DiffQuery): Promise<Diff> {
    return this.diff(
      id,
      placementStream(id),
      (s, e) => placementDecider.evolve(s, e as PlacementEvent),
      placementDecider.initialState,
      q,
      'PLACEMENT_NOT_FOUND',
    );
  }
}

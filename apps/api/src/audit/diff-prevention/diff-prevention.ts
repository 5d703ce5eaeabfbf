import { preventionDecider, type PreventionEvent, preventionStream } from '@jejak/prevention';
import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, IN_PREVENTION, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { RecordsAccess } from '../access-log';
import { Diff, DiffQuery } from '../diff.dto';
import { DiffRoute, DiffRoutes, UUID } from '../diff.routes';

@DiffRoute()
export class DiffPreventionRoute extends DiffRoutes {
  @Get('preventions/:id/diff')
  @Allow(READERS, IN_PREVENTION)
  @RecordsAccess('prevention')
  @ApiOkResponse({ description: 'changed fields per event, with actors' })
  @ApiProblems(400, 404)
  preventions(@Param('id', UUID) id: string, @Query() q: DiffQuery): Promise<Diff> {
    return this.diff(
      id,
      preventionStream(id),
      (s, e) => preventionDecider.evolve(s, e as PreventionEvent),
      preventionDecider.initialState,
      q,
      'PREVENTION_NOT_FOUND',
    );
  }
}

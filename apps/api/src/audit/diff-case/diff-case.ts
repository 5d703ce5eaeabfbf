import { caseDecider, type CaseEvent, caseStream } from '@jejak/accompaniment';
import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, IN_CASE, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { RecordsAccess } from '../access-log';
import { Diff, DiffQuery } from '../diff.dto';
import { DiffRoute, DiffRoutes, UUID } from '../diff.routes';

@DiffRoute()
export class DiffCaseRoute extends DiffRoutes {
  @Get('cases/:id/diff')
  @Allow(READERS, IN_CASE)
  @RecordsAccess('case')
  @ApiOkResponse({ description: 'changed fields per event, with actors' })
  @ApiProblems(400, 404)
  cases(@Param('id', UUID) id: string, @Query() q: DiffQuery): Promise<Diff> {
    return this.diff(id, caseStream(id), (s, e) => caseDecider.evolve(s, e as CaseEvent), caseDecider.initialState, q, 'CASE_NOT_FOUND');
  }
}

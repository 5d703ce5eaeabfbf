import { type EventStore, foldStream } from '@jejak/event-store';
import { NotFound } from '@jejak/kernel';
import { agencyDecider, agencyStream } from '@jejak/placement';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Response } from 'express';

import { Allow, READERS } from '../../access/rules';
import { Clock } from '../../http/clock';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { AgenciesRoute, AgencyRoutes, UUID } from '../agencies.routes';
import { AgencyView, agencyView } from '../reference.handlers';

export class GetAgency extends Query<{ view: AgencyView; revision: bigint }> {
  constructor(readonly agencyId: string) {
    super();
  }
}

@QueryHandler(GetAgency)
export class GetAgencyHandler implements IQueryHandler<GetAgency> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ agencyId }: GetAgency): Promise<{ view: AgencyView; revision: bigint }> {
    const { state, revision } = await foldStream(this.store, agencyStream(agencyId), agencyDecider.evolve, agencyDecider.initialState);
    if (state.status === 'none' || revision === undefined) throw new NotFound('AGENCY_NOT_FOUND', 'No such agency');
    return { view: agencyView(agencyId, state, this.clock.today()), revision };
  }
}

@AgenciesRoute()
export class GetAgencyRoute extends AgencyRoutes {
  @Get(':id')
  @Allow([...READERS, 'admin'])
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<AgencyView> {
    const { view, revision } = await this.queries.execute(new GetAgency(id));
    response.setHeader('ETag', `"${revision}"`);
    return view;
  }
}

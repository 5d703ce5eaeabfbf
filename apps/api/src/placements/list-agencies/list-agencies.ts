import { collect, type EventStore, foldStream } from '@jejak/event-store';
import { agencyDecider } from '@jejak/placement';
import { Get, Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, READERS } from '../../access/rules';
import { Clock } from '../../http/clock';
import { EVENT_STORE } from '../../tokens';
import { AgenciesRoute, AgencyRoutes } from '../agencies.routes';
import { AgencyView, agencyView } from '../reference.handlers';

export class ListAgencies extends Query<AgencyView[]> {}

/** Licensed companies number in the hundreds: listing folds their streams. */
@QueryHandler(ListAgencies)
export class ListAgenciesHandler implements IQueryHandler<ListAgencies> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<AgencyView[]> {
    const licensed = await collect(this.store.readAll({ filter: { streamPrefixes: ['agency-'], eventTypes: ['AgencyLicensed'] } }));
    const today = this.clock.today();
    const views: AgencyView[] = [];
    for (const event of licensed) {
      const id = event.streamId.slice('agency-'.length);
      const { state } = await foldStream(this.store, event.streamId, agencyDecider.evolve, agencyDecider.initialState);
      views.push(agencyView(id, state, today));
    }
    return views.sort((a, b) => a.name.localeCompare(b.name));
  }
}

@AgenciesRoute()
export class ListAgenciesRoute extends AgencyRoutes {
  @Get()
  @Allow([...READERS, 'admin'])
  @ApiOkResponse({ description: 'All companies, with whether each is licensed today' })
  async list(): Promise<{ items: AgencyView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListAgencies()), nextCursor: null };
  }
}

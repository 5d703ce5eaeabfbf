import type { EventStore } from '@jejak/event-store';
import { Get, Inject, Query as QueryParam } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, READERS } from '../../access/rules';
import { Clock } from '../../http/clock';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { MoratoriumRoutes, MoratoriumsRoute } from '../moratoriums.routes';
import { moratoriumList } from '../reference.handlers';

export class MoratoriumListQuery {
  @DateField({ example: '2026-11-29', description: 'the day to show the list for; defaults to today', optional: true })
  on?: string;
}

export interface MoratoriumEntry {
  readonly country: string;
  readonly sector: string;
  readonly legalBasis: string;
  /** The day it took effect. */
  readonly since: string;
}

/** The list as it stood on a day (default: today in the deployment's time zone). */
export class ListMoratoriums extends Query<MoratoriumEntry[]> {
  constructor(readonly on?: string) {
    super();
  }
}

@QueryHandler(ListMoratoriums)
export class ListMoratoriumsHandler implements IQueryHandler<ListMoratoriums> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ on }: ListMoratoriums): Promise<MoratoriumEntry[]> {
    const day = on ?? this.clock.today();
    const state = await moratoriumList(this.store, this.clock);
    return Object.entries(state.periods)
      .flatMap(([key, periods]) => {
        const [country, sector] = key.split(':') as [string, string];
        const period = periods.find((p) => p.from <= day && (p.until === null || day < p.until));
        return period ? [{ country, sector, legalBasis: period.legalBasis, since: period.from }] : [];
      })
      .sort((a, b) => `${a.country}${a.sector}`.localeCompare(`${b.country}${b.sector}`));
  }
}

@MoratoriumsRoute()
export class ListMoratoriumsRoute extends MoratoriumRoutes {
  @Get()
  @Allow([...READERS, 'admin'])
  @ApiOkResponse({
    description:
      'The destination and sector pairs where placement was stopped on `on` (default today), with the legal basis and the day each took effect',
  })
  @ApiProblems(400)
  async list(@QueryParam() query: MoratoriumListQuery): Promise<{ items: MoratoriumEntry[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListMoratoriums(query.on)), nextCursor: null };
  }
}

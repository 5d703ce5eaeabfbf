import type { EventStore } from '@jejak/event-store';
import { breachDecider, type BreachEvent, breachNoticeOverdue, type BreachState } from '@jejak/personal-data';
import { Get, Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { EVENT_STORE } from '../../tokens';
import { BreachesRoute, BreachRoutes } from '../breaches.routes';
import { foldAll } from '../privacy.handlers';

export interface BreachView extends Omit<BreachState, 'status'> {
  readonly id: string;
  readonly noticeOverdue: boolean;
}

export class ListBreaches extends Query<BreachView[]> {
  constructor(readonly now: Date) {
    super();
  }
}

@QueryHandler(ListBreaches)
export class ListBreachesHandler implements IQueryHandler<ListBreaches> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ now }: ListBreaches): Promise<BreachView[]> {
    const states = await foldAll<BreachState, BreachEvent>(this.store, 'breach-', breachDecider.evolve, breachDecider.initialState);
    return [...states.values()]
      .filter((s) => s.status === 'recorded')
      .map(({ status: _s, ...rest }) => ({
        ...rest,
        id: rest.breachId!,
        noticeOverdue: breachNoticeOverdue({ status: 'recorded', ...rest }, now),
      }))
      .sort((a, b) => b.discoveredAt!.localeCompare(a.discoveredAt!));
  }
}

@BreachesRoute()
export class ListBreachesRoute extends BreachRoutes {
  @Get()
  @Allow(['admin'])
  @ApiOkResponse({ description: 'every breach, newest first, with its notices and whether the notice to the subjects is overdue' })
  async list(): Promise<{ items: BreachView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListBreaches(this.clock.now())), nextCursor: null };
  }
}

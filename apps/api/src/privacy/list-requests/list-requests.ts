import type { EventStore } from '@jejak/event-store';
import { requestDecider, type RequestEvent, requestOverdue, type RequestState } from '@jejak/personal-data';
import { Get, Inject, Query as QueryParam } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { Allow } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { foldAll } from '../privacy.handlers';
import { RequestRoutes, RequestsRoute } from '../requests.routes';

export class RequestListQuery {
  @ApiProperty({ enum: ['open', 'overdue', 'answered', 'all'], required: false })
  @IsIn(['open', 'overdue', 'answered', 'all'])
  status: 'open' | 'overdue' | 'answered' | 'all' = 'open';
}

export interface RequestView {
  readonly id: string;
  readonly subjectId: string;
  readonly areaCode: string;
  readonly kind: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly status: 'open' | 'answered';
  readonly overdue: boolean;
  readonly answer: { outcome: string; answeredAt: string; answeredBy: string; late: boolean } | null;
}

export class ListRequests extends Query<RequestView[]> {
  constructor(
    readonly status: 'open' | 'overdue' | 'answered' | 'all',
    readonly now: Date,
  ) {
    super();
  }
}

@QueryHandler(ListRequests)
export class ListRequestsHandler implements IQueryHandler<ListRequests> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ status, now }: ListRequests): Promise<RequestView[]> {
    const states = await foldAll<RequestState, RequestEvent>(this.store, 'dsr-', requestDecider.evolve, requestDecider.initialState);
    const views = [...states.values()]
      .filter((s) => s.status !== 'none')
      .map((s): RequestView => {
        const { sealed: _sealed, ...answer } = s.answer ?? { sealed: {} };
        return {
          id: s.requestId!,
          subjectId: s.subjectId!,
          areaCode: s.areaCode!,
          kind: s.kind!,
          channel: s.channel!,
          receivedAt: s.receivedAt!,
          dueAt: s.dueAt!,
          status: s.status as 'open' | 'answered',
          overdue: requestOverdue(s, now),
          answer: s.answer ? (answer as RequestView['answer']) : null,
        };
      });
    const wanted = views.filter((v) => status === 'all' || (status === 'overdue' ? v.overdue : v.status === status));
    return wanted.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }
}

@RequestsRoute()
export class ListRequestsRoute extends RequestRoutes {
  @Get()
  @Allow(['admin'])
  @ApiOkResponse({
    description: 'requests by deadline, soonest first: `open` (default), `overdue` (open past 3 × 24 hours), `answered` or `all`',
  })
  @ApiProblems(400)
  async list(@QueryParam() query: RequestListQuery): Promise<{ items: RequestView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListRequests(query.status, this.clock.now())), nextCursor: null };
  }
}

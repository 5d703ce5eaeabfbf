import { collect, type EventStore } from '@jejak/event-store';
import { Get, Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { EVENT_STORE } from '../../tokens';
import { UserDirectory } from '../user-directory';
import { UserView, userView } from '../users.handlers';
import { UserRoutes, UsersRoute } from '../users.routes';

export class ListUsers extends Query<UserView[]> {}

@QueryHandler(ListUsers)
export class ListUsersHandler implements IQueryHandler<ListUsers> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly users: UserDirectory,
  ) {}

  /** Users are few (hundreds): listing folds their streams rather than keeping a read model. */
  async execute(): Promise<UserView[]> {
    const created = await collect(this.store.readAll({ filter: { streamPrefixes: ['user-'], eventTypes: ['UserCreated'] } }));
    const views: UserView[] = [];
    for (const event of created) {
      const id = event.streamId.slice('user-'.length);
      const { state } = await this.users.get(id);
      if (state.status !== 'none') views.push(userView(id, state));
    }
    return views.sort((a, b) => a.username.localeCompare(b.username));
  }
}

@UsersRoute()
export class ListUsersRoute extends UserRoutes {
  @Get()
  @Allow(['admin'])
  @ApiOkResponse({ description: 'All users, by username' })
  async list(): Promise<{ items: UserView[]; nextCursor: null }> {
    return { items: await this.queries.execute(new ListUsers()), nextCursor: null };
  }
}

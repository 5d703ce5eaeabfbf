import { NotFound } from '@jejak/kernel';
import { Get, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { UserDirectory } from '../user-directory';
import { UserView, userView } from '../users.handlers';
import { UserRoutes, UsersRoute, UUID } from '../users.routes';

export class GetUser extends Query<{ view: UserView; revision: bigint }> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(GetUser)
export class GetUserHandler implements IQueryHandler<GetUser> {
  constructor(private readonly users: UserDirectory) {}

  async execute({ userId }: GetUser): Promise<{ view: UserView; revision: bigint }> {
    this.users.invalidate(userId); // an administrator reading a user wants the latest
    const { state, revision } = await this.users.get(userId);
    if (state.status === 'none' || revision === undefined) throw new NotFound('USER_NOT_FOUND', 'No such user');
    return { view: userView(userId, state), revision };
  }
}

@UsersRoute()
export class GetUserRoute extends UserRoutes {
  @Get(':id')
  @Allow(['admin'])
  @ApiOkResponse({ description: 'The user, with ETag' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<UserView> {
    const { view, revision } = await this.queries.execute(new GetUser(id));
    response.setHeader('ETag', `"${revision}"`);
    return view;
  }
}

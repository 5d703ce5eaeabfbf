import { groupDecider, type GroupEvent, groupStream, type LegalStatus } from '@jejak/enterprise';
import { type EventStore, foldStream } from '@jejak/event-store';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_GROUP, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { groupNotFound } from '../enterprise.handlers';
import { EnterpriseRoutes, GroupsRoute, UUID } from '../enterprise.routes';

export interface GroupView {
  readonly id: string;
  readonly areaCode: string;
  readonly name: string;
  readonly formedOn: string;
  readonly legalStatus: LegalStatus;
  readonly registrationNumber: string | null;
  readonly members: readonly string[];
  readonly revision: number;
}

export class GetGroup extends Query<GroupView> {
  constructor(readonly groupId: string) {
    super();
  }
}

@QueryHandler(GetGroup)
export class GetGroupHandler implements IQueryHandler<GetGroup> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ groupId }: GetGroup): Promise<GroupView> {
    let name = '';
    const { state, revision } = await foldStream(
      this.store,
      groupStream(groupId),
      (s, e: GroupEvent) => {
        if (e.type === 'BusinessGroupFormed') name = e.data.name;
        return groupDecider.evolve(s, e);
      },
      groupDecider.initialState,
    );
    if (state.status === 'none' || revision === undefined) throw groupNotFound();
    return {
      id: groupId,
      areaCode: state.areaCode!,
      name,
      formedOn: state.formedOn!,
      legalStatus: state.legalStatus!,
      registrationNumber: state.registrationNumber ?? null,
      members: state.members,
      revision: Number(revision),
    };
  }
}

@GroupsRoute()
export class GetGroupRoute extends EnterpriseRoutes {
  @Get(':id')
  @Allow(READERS, IN_GROUP)
  @ApiOkResponse({ description: 'The group with ETag: legal status, registration number and present members' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<GroupView> {
    const view = await this.queries.execute(new GetGroup(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

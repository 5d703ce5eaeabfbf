import { communityDecider, communityStream, type Relation } from '@jejak/community';
import { type EventStore, foldStream } from '@jejak/event-store';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_COMMUNITY, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { communityNotFound } from '../communities.handlers';
import { CommunitiesRoute, CommunityRoutes, UUID } from '../communities.routes';

/** A community as its members' officers see it: members by their opaque ids (their data is on GET /subjects/{id}). */
export interface CommunityView {
  readonly id: string;
  readonly areaCode: string;
  readonly villages: readonly string[];
  readonly name: string;
  readonly formedOn: string;
  readonly status: string;
  readonly members: readonly { readonly subjectId: string; readonly relation: Relation; readonly joinedOn: string }[];
  /** People who were members and have left. */
  readonly formerMembers: number;
  readonly revision: number;
}

export class GetCommunity extends Query<CommunityView> {
  constructor(readonly communityId: string) {
    super();
  }
}

@QueryHandler(GetCommunity)
export class GetCommunityHandler implements IQueryHandler<GetCommunity> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ communityId }: GetCommunity): Promise<CommunityView> {
    const { state, revision } = await foldStream(
      this.store,
      communityStream(communityId),
      communityDecider.evolve,
      communityDecider.initialState,
    );
    if (state.status === 'none' || revision === undefined) throw communityNotFound();
    const members = Object.entries(state.members).map(([subjectId, m]) => ({ subjectId, relation: m.relation, joinedOn: m.joinedOn }));
    return {
      id: communityId,
      areaCode: state.areaCode!,
      villages: state.villages,
      name: state.name!,
      formedOn: state.formedOn!,
      status: state.status,
      members,
      formerMembers: state.everMembers.length - members.length,
      revision: Number(revision),
    };
  }
}

@CommunitiesRoute()
export class GetCommunityRoute extends CommunityRoutes {
  @Get(':id')
  @Allow(READERS, IN_COMMUNITY)
  @ApiOkResponse({ description: 'The community with ETag: its villages, status and present members' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<CommunityView> {
    const view = await this.queries.execute(new GetCommunity(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

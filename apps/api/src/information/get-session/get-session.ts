import { type EventStore, foldStream } from '@jejak/event-store';
import { sessionDecider, sessionStream } from '@jejak/information';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_SESSION, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { sessionNotFound } from '../information.handlers';
import { InformationRoutes, SessionsRoute, UUID } from '../information.routes';

/** A dissemination session: attendees by their opaque ids (their data is on GET /subjects/{id}). */
export interface SessionView {
  readonly id: string;
  readonly areaCode: string;
  readonly heldOn: string;
  readonly place: string;
  readonly topics: readonly string[];
  readonly peopleReached: number;
  readonly attendees: readonly string[];
  readonly recordedBy: string;
  readonly revision: number;
}

export class GetSession extends Query<SessionView> {
  constructor(readonly sessionId: string) {
    super();
  }
}

@QueryHandler(GetSession)
export class GetSessionHandler implements IQueryHandler<GetSession> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ sessionId }: GetSession): Promise<SessionView> {
    const { state, revision } = await foldStream(this.store, sessionStream(sessionId), sessionDecider.evolve, sessionDecider.initialState);
    if (state.status === 'none' || revision === undefined) throw sessionNotFound();
    return {
      id: sessionId,
      areaCode: state.areaCode!,
      heldOn: state.heldOn!,
      place: state.place!,
      topics: state.topics,
      peopleReached: state.peopleReached,
      attendees: state.attendees,
      recordedBy: state.recordedBy!,
      revision: Number(revision),
    };
  }
}

@SessionsRoute()
export class GetSessionRoute extends InformationRoutes {
  @Get(':id')
  @Allow(READERS, IN_SESSION)
  @ApiOkResponse({ description: 'The session with ETag: day, place, topics, people reached and members who attended' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const view = await this.queries.execute(new GetSession(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

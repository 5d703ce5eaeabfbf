import type { EventStore } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { placementStream } from '@jejak/placement';
import { Get, Inject, Param } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, IN_PLACEMENT, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { history, type HistoryEntry } from '../../http/history';
import { ApiProblems } from '../../http/openapi';
import { UserDirectory } from '../../identity/user-directory';
import { EVENT_STORE, VAULT } from '../../tokens';
import { loadPlacement } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class GetPlacementHistory extends Query<HistoryEntry[]> {
  constructor(readonly placementId: string) {
    super();
  }
}

@QueryHandler(GetPlacementHistory)
export class GetPlacementHistoryHandler implements IQueryHandler<GetPlacementHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ placementId }: GetPlacementHistory): Promise<HistoryEntry[]> {
    const { state } = await loadPlacement(this.store, placementId);
    return history(this.store, placementStream(placementId), (sealed) => this.vault.reveal(state.subjectId!, sealed), this.users);
  }
}

@PlacementsRoute()
export class PlacementHistoryRoute extends PlacementRoutes {
  @Get(':id/history')
  @Allow(READERS, IN_PLACEMENT)
  @RecordsAccess('placement')
  @ApiOkResponse({ description: 'Every event, in order, with type, revision, recordedAt, data and metadata (actor, correlation)' })
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetPlacementHistory(id)) };
  }
}

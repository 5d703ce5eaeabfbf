import type { EventStore } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { preventionStream } from '@jejak/prevention';
import { Get, Inject, Param } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

import { Allow, IN_PREVENTION, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { history, type HistoryEntry } from '../../http/history';
import { ApiProblems } from '../../http/openapi';
import { UserDirectory } from '../../identity/user-directory';
import { EVENT_STORE, VAULT } from '../../tokens';
import { keyHolder, loadPrevention } from '../preventions.handlers';
import { PreventionRoutes, PreventionsRoute, UUID } from '../preventions.routes';

export class GetPreventionHistory extends Query<HistoryEntry[]> {
  constructor(readonly preventionId: string) {
    super();
  }
}

@QueryHandler(GetPreventionHistory)
export class GetPreventionHistoryHandler implements IQueryHandler<GetPreventionHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ preventionId }: GetPreventionHistory): Promise<HistoryEntry[]> {
    const { state } = await loadPrevention(this.store, preventionId);
    return history(
      this.store,
      preventionStream(preventionId),
      (sealed) => this.vault.reveal(keyHolder(state, preventionId), sealed),
      this.users,
    );
  }
}

@PreventionsRoute()
export class PreventionHistoryRoute extends PreventionRoutes {
  @Get(':id/history')
  @Allow(READERS, IN_PREVENTION)
  @RecordsAccess('prevention')
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetPreventionHistory(id)) };
  }
}

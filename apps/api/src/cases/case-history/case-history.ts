import { caseStream } from '@jejak/accompaniment';
import type { EventStore } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Get, Inject, Param } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, IN_CASE, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { history, type HistoryEntry } from '../../http/history';
import { ApiProblems } from '../../http/openapi';
import { UserDirectory } from '../../identity/user-directory';
import { EVENT_STORE, VAULT } from '../../tokens';
import { loadCase } from '../cases.handlers';
import { CaseRoutes, CasesRoute, UUID } from '../cases.routes';

export class GetCaseHistory extends Query<HistoryEntry[]> {
  constructor(readonly caseId: string) {
    super();
  }
}

/** Every event with its actor; sealed free text opened for those in scope (or "[erased]"). */
@QueryHandler(GetCaseHistory)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ caseId }: GetCaseHistory): Promise<HistoryEntry[]> {
    const { state } = await loadCase(this.store, caseId);
    return history(this.store, caseStream(caseId), (sealed) => this.vault.reveal(state.workerSubjectId!, sealed), this.users);
  }
}

@CasesRoute()
export class CaseHistoryRoute extends CaseRoutes {
  @Get(':id/history')
  @Allow(READERS, IN_CASE)
  @RecordsAccess('case')
  @ApiOkResponse({ description: 'Every event, in order, with its actor' })
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetCaseHistory(id)) };
  }
}

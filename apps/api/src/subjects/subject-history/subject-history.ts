import type { EventStore } from '@jejak/event-store';
import { type PersonalDataVault, subjectStream } from '@jejak/personal-data';
import { Get, Inject, Param } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow, IN_SUBJECT, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { history, type HistoryEntry } from '../../http/history';
import { ApiProblems } from '../../http/openapi';
import { UserDirectory } from '../../identity/user-directory';
import { EVENT_STORE, VAULT } from '../../tokens';
import { load } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

export class GetSubjectHistory extends Query<HistoryEntry[]> {
  constructor(readonly subjectId: string) {
    super();
  }
}

@QueryHandler(GetSubjectHistory)
export class GetSubjectHistoryHandler implements IQueryHandler<GetSubjectHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ subjectId }: GetSubjectHistory): Promise<HistoryEntry[]> {
    await load(this.store, subjectId);
    return history(this.store, subjectStream(subjectId), (sealed) => this.vault.reveal(subjectId, sealed), this.users);
  }
}

@SubjectsRoute()
export class SubjectHistoryRoute extends SubjectRoutes {
  @Get(':id/history')
  @Allow(READERS, IN_SUBJECT)
  @RecordsAccess('subject')
  @ApiOkResponse({ description: 'Every event of the subject, in order, with actors' })
  @ApiProblems(400, 404)
  async history(@Param('id', UUID) id: string): Promise<{ items: HistoryEntry[] }> {
    return { items: await this.queries.execute(new GetSubjectHistory(id)) };
  }
}

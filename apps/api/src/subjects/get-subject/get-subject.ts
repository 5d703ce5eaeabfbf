import type { EventStore } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_SUBJECT, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE, VAULT } from '../../tokens';
import { load, SubjectView, view } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

export class GetSubject extends Query<{ view: SubjectView; revision: bigint }> {
  constructor(readonly subjectId: string) {
    super();
  }
}

@QueryHandler(GetSubject)
export class GetSubjectHandler implements IQueryHandler<GetSubject> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ subjectId }: GetSubject): Promise<{ view: SubjectView; revision: bigint }> {
    const { state, revision } = await load(this.store, subjectId);
    return { view: await view(this.vault, subjectId, state), revision };
  }
}

@SubjectsRoute()
export class GetSubjectRoute extends SubjectRoutes {
  @Get(':id')
  @Allow(READERS, IN_SUBJECT)
  @RecordsAccess('subject')
  @ApiOkResponse({ description: 'The subject with personal fields opened, or "[erased]"; ETag' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<SubjectView> {
    const { view, revision } = await this.queries.execute(new GetSubject(id));
    response.setHeader('ETag', `"${revision}"`);
    return view;
  }
}

import type { EventStore } from '@jejak/event-store';
import { SEED_TOPICS } from '@jejak/information';
import { Get, Inject, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { EVENT_STORE } from '../../tokens';
import { readCatalog } from '../information.handlers';
import { InformationRoutes, TopicsRoute } from '../information.routes';

export interface TopicView {
  readonly code: string;
  /** Whether the program defines it (named by the apps' catalogs) or an administrator added it (named here). */
  readonly builtIn: boolean;
  readonly name: { readonly id: string; readonly en: string } | null;
}

export class ListTopics extends Query<{ items: TopicView[]; revision: number }> {}

@QueryHandler(ListTopics)
export class ListTopicsHandler implements IQueryHandler<ListTopics> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<{ items: TopicView[]; revision: number }> {
    const { catalog, revision } = await readCatalog(this.store);
    const items = catalog.codes.map((code) => ({
      code,
      builtIn: (SEED_TOPICS as readonly string[]).includes(code),
      name: catalog.names[code] ?? null,
    }));
    return { items, revision: revision === undefined ? -1 : Number(revision) };
  }
}

@TopicsRoute()
export class ListTopicsRoute extends InformationRoutes {
  @Get()
  @Allow(['officer', 'supervisor', 'auditor', 'admin'])
  @ApiOkResponse({ description: "`{ items }`: every topic code in the catalog, the program's first" })
  async list(@Res({ passthrough: true }) response: Response): Promise<{ items: TopicView[] }> {
    const { items, revision } = await this.queries.execute(new ListTopics());
    response.setHeader('ETag', `"${revision}"`);
    return { items };
  }
}

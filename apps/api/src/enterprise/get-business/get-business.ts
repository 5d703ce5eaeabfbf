import { businessDecider, type BusinessSector, type BusinessStatus, businessStream, type Volume } from '@jejak/enterprise';
import { type EventStore, foldStream } from '@jejak/event-store';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_BUSINESS, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { businessNotFound } from '../enterprise.handlers';
import { BusinessesRoute, EnterpriseRoutes, UUID } from '../enterprise.routes';

/** A business: owners by their opaque ids, its status, and each month's volume as corrected. */
export interface BusinessView {
  readonly id: string;
  readonly areaCode: string;
  readonly name: string;
  readonly sector: BusinessSector;
  readonly startedOn: string;
  readonly status: BusinessStatus;
  readonly owners: readonly string[];
  readonly volumes: readonly (Volume & { readonly month: string })[];
  readonly revision: number;
}

export class GetBusiness extends Query<BusinessView> {
  constructor(readonly businessId: string) {
    super();
  }
}

@QueryHandler(GetBusiness)
export class GetBusinessHandler implements IQueryHandler<GetBusiness> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ businessId }: GetBusiness): Promise<BusinessView> {
    const { state, revision } = await foldStream(
      this.store,
      businessStream(businessId),
      businessDecider.evolve,
      businessDecider.initialState,
    );
    if (state.status === 'none' || revision === undefined) throw businessNotFound();
    return {
      id: businessId,
      areaCode: state.areaCode!,
      name: state.name!,
      sector: state.sector!,
      startedOn: state.startedOn!,
      status: state.status,
      owners: state.owners,
      volumes: Object.entries(state.volumes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, v]) => ({ month, ...v })),
      revision: Number(revision),
    };
  }
}

@BusinessesRoute()
export class GetBusinessRoute extends EnterpriseRoutes {
  @Get(':id')
  @Allow(READERS, IN_BUSINESS)
  @ApiOkResponse({ description: 'The business with ETag: owners, sector, status and monthly volumes' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<BusinessView> {
    const view = await this.queries.execute(new GetBusiness(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

import { type ConsultationEvent, consultationStream } from '@jejak/enterprise';
import { collectIfAny, type EventStore } from '@jejak/event-store';
import { NotFound } from '@jejak/kernel';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_CONSULTATION, READERS } from '../../access/rules';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE } from '../../tokens';
import { ConsultationsRoute, EnterpriseRoutes, UUID } from '../enterprise.routes';

export type ConsultationView = ConsultationEvent['data'] & { readonly id: string; readonly revision: number };

export class GetConsultation extends Query<ConsultationView> {
  constructor(readonly consultationId: string) {
    super();
  }
}

@QueryHandler(GetConsultation)
export class GetConsultationHandler implements IQueryHandler<GetConsultation> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ consultationId }: GetConsultation): Promise<ConsultationView> {
    const [recorded] = await collectIfAny(this.store.readStream(consultationStream(consultationId), { maxCount: 1 }));
    if (recorded?.type !== 'ConsultationRecorded') throw new NotFound('CONSULTATION_NOT_FOUND', 'No such consultation');
    return { id: consultationId, ...(recorded.data as ConsultationEvent['data']), revision: 0 };
  }
}

@ConsultationsRoute()
export class GetConsultationRoute extends EnterpriseRoutes {
  @Get(':id')
  @Allow(READERS, IN_CONSULTATION)
  @ApiOkResponse({ description: 'The consultation: with whom, on what, when, and the businesses concerned' })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<ConsultationView> {
    const view = await this.queries.execute(new GetConsultation(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

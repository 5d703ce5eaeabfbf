import { BUSINESS_STATUSES, CONSULTED_AGENCIES, KUR_STATUSES } from '@jejak/enterprise';
import type { RequestContext } from '@jejak/kernel';
import { Controller, Get, Headers, Injectable, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists, PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class BusinessListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BUSINESS_STATUSES })
  @IsOptional()
  @IsIn(BUSINESS_STATUSES)
  status?: string;

  @DateField({ example: '2026-01-01', description: 'started on or after this day', optional: true })
  startedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'started on or before this day', optional: true })
  startedTo?: string;
}

export class GroupListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'formed on or after this day', optional: true })
  formedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'formed on or before this day', optional: true })
  formedTo?: string;
}

export class ConsultationListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'held on or after this day', optional: true })
  heldFrom?: string;

  @DateField({ example: '2026-01-31', description: 'held on or before this day', optional: true })
  heldTo?: string;

  @ApiPropertyOptional({ enum: CONSULTED_AGENCIES })
  @IsOptional()
  @IsIn(CONSULTED_AGENCIES)
  agency?: string;
}

export class KurListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'applied on or after this day', optional: true })
  appliedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'applied on or before this day', optional: true })
  appliedTo?: string;

  @DateField({ example: '2026-01-01', description: 'disbursed on or after this day', optional: true })
  disbursedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'disbursed on or before this day', optional: true })
  disbursedTo?: string;

  @ApiPropertyOptional({ enum: KUR_STATUSES, description: 'where the application stands: its last step' })
  @IsOptional()
  @IsIn(KUR_STATUSES)
  status?: (typeof KUR_STATUSES)[number];
}

/** What every list of the economic unit reads: the lists, after the read model has caught up (X-Min-Position). */
@Injectable()
abstract class EnterpriseList {
  constructor(
    protected readonly lists: Lists,
    protected readonly readModels: ReadModels,
  ) {}
}

@ApiTags('economic unit')
@ApiAuthenticated()
@Controller('businesses')
export class BusinessListController extends EnterpriseList {
  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: "`{ items, nextCursor }`: businesses within your territory, the latest started first; `subject` gives an owner's",
  })
  @ApiProblems(400, 503)
  async businesses(@Query() q: BusinessListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('enterprise', minPosition(min));
    const { startedFrom: from, startedTo: to, ...rest } = q;
    return this.lists.enterprise('business', { ...rest, from, to }, context.actor!);
  }
}

@ApiTags('economic unit')
@ApiAuthenticated()
@Controller('business-groups')
export class GroupListController extends EnterpriseList {
  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: "`{ items, nextCursor }`: business groups and cooperatives within your territory; `subject` gives a member's",
  })
  @ApiProblems(400, 503)
  async groups(@Query() q: GroupListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('enterprise', minPosition(min));
    const { formedFrom: from, formedTo: to, ...rest } = q;
    return this.lists.enterprise('group', { ...rest, from, to }, context.actor!);
  }
}

@ApiTags('economic unit')
@ApiAuthenticated()
@Controller('consultations')
export class ConsultationListController extends EnterpriseList {
  @Get()
  @Allow(READERS)
  @ApiOkResponse({ description: '`{ items, nextCursor }`: business-development consultations within your territory, latest held first' })
  @ApiProblems(400, 503)
  async consultations(
    @Query() q: ConsultationListQuery,
    @Ctx() context: RequestContext,
    @Headers('x-min-position') min: string | undefined,
  ) {
    await this.readModels.awaitPosition('enterprise', minPosition(min));
    const { heldFrom: from, heldTo: to, ...rest } = q;
    return this.lists.enterprise('consultation', { ...rest, from, to }, context.actor!);
  }
}

@ApiTags('economic unit')
@ApiAuthenticated()
@Controller('kur')
export class KurListController extends EnterpriseList {
  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description:
      "`{ items, nextCursor }`: KUR applications within your territory, the latest applied first, with their steps and days and never an amount (amounts are personal financial data, shown only on GET /kur/{id}); `subject` gives an applicant's",
  })
  @ApiProblems(400, 503)
  async kur(@Query() q: KurListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('kur', minPosition(min));
    return this.lists.kur(q, context.actor!);
  }
}

import type { RequestContext } from '@jejak/kernel';
import { FLAGS, OUTCOMES, PREVENTION_STATUSES, type PreventionStatus, SOURCES } from '@jejak/prevention';
import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists, PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class PreventionListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'reported on or after this day, in the deployment time zone', optional: true })
  reportedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'reported on or before this day, in the deployment time zone', optional: true })
  reportedTo?: string;

  @ApiPropertyOptional({ enum: PREVENTION_STATUSES })
  @IsOptional()
  @IsIn(PREVENTION_STATUSES)
  status?: PreventionStatus;

  @ApiPropertyOptional({ enum: SOURCES })
  @IsOptional()
  @IsIn(SOURCES)
  source?: string;

  @ApiPropertyOptional({ enum: FLAGS })
  @IsOptional()
  @IsIn(FLAGS)
  flag?: string;

  @ApiPropertyOptional({ enum: OUTCOMES })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: string;
}

@ApiTags('preventions')
@ApiAuthenticated()
@Controller('preventions')
export class PreventionListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({ description: '`{ items, nextCursor }`: prevention records within your territory, newest first' })
  @ApiProblems(400, 503)
  async preventions(
    @Query() query: PreventionListQuery,
    @Ctx() context: RequestContext,
    @Headers('x-min-position') min: string | undefined,
  ) {
    await this.readModels.awaitPosition('preventions', minPosition(min));
    return this.lists.preventions(query, context.actor!);
  }
}

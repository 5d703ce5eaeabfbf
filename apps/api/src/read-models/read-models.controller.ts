import type { RequestContext } from '@jejak/kernel';
import { type CaseListItem, figuresMarkdown, indicatorsCsv, type ProjectionReport, type WorklistItem } from '@jejak/read-models';
import { Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, READERS } from '../access/rules';
import { Ctx } from '../http/context';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { ValidationFailed } from '../http/problem';
import { ProcessManagers } from '../links/process-managers.service';
import { CaseListQuery, CasesList } from './cases-list';
import { IndicatorQuery, Indicators } from './indicators';
import { Lists, PlacementListQuery, PreventionListQuery } from './lists';
import { ReadModels } from './read-models.service';

function minPosition(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  if (!/^\d{1,19}$/.test(header))
    throw new ValidationFailed([{ field: 'X-Min-Position', message: 'must be a position a command returned' }]);
  return BigInt(header);
}

// Lists filter by the caller's territory themselves: every row is in scope by construction.
@ApiTags('cases')
@ApiAuthenticated()
@Controller('cases')
export class CaseListController {
  constructor(
    private readonly list: CasesList,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: '`{ items, nextCursor }`: cases within your territory, newest first; `X-Min-Position` waits for your own writes',
  })
  @ApiProblems(400, 503)
  async cases(
    @Query() query: CaseListQuery,
    @Ctx() context: RequestContext,
    @Headers('x-min-position') min: string | undefined,
  ): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    await this.readModels.awaitPosition('cases', minPosition(min));
    return this.list.page(query, context.actor!, context.now);
  }
}

@ApiTags('placements')
@ApiAuthenticated()
@Controller('placements')
export class PlacementListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({ description: '`{ items, nextCursor }`: placements within your territory, newest first' })
  @ApiProblems(400, 503)
  async placements(@Query() query: PlacementListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('placements', minPosition(min));
    return this.lists.placements(query, context.actor!);
  }
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

@ApiTags('worklist')
@ApiAuthenticated()
@Controller('worklist')
export class WorklistController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(['officer', 'supervisor'])
  @ApiOkResponse({ description: 'Open cases by what falls due first (overdue marked), then open placements and prevention records' })
  @ApiProblems(400, 503)
  async worklist(@Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined): Promise<{ items: WorklistItem[] }> {
    // Read-your-writes as the lists do: the worklist reads all three read models.
    const position = minPosition(min);
    await Promise.all(['cases', 'placements', 'preventions'].map((name) => this.readModels.awaitPosition(name, position)));
    return this.lists.worklist(context.actor!, context.now);
  }
}

@ApiTags('reports')
@ApiAuthenticated()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly indicators: Indicators,
    private readonly readModels: ReadModels,
  ) {}

  @Get('indicators')
  // Aggregates, checked against the caller's territory by the report itself (the area is a query parameter).
  @Allow(['supervisor', 'auditor'])
  @ApiOkResponse({
    description: `Rows per area and month with drill-down links; \`Accept: text/csv\` for CSV. Months and days are in the deployment's time zone. Each figure counts:\n\n${figuresMarkdown()}`,
  })
  @ApiProblems(400, 403)
  async report(
    @Query() query: IndicatorQuery,
    @Ctx() context: RequestContext,
    @Headers('accept') accept: string | undefined,
    @Headers('x-min-position') min: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const position = minPosition(min);
    for (const name of ['cases', 'placements', 'preventions']) await this.readModels.awaitPosition(name, position);
    const rows = await this.indicators.report(query, context.actor!, context.now);
    if (accept && /text\/csv/.test(accept)) {
      response.type('text/csv');
      response.setHeader(
        'Content-Disposition',
        `attachment; filename="indicators-${query.level}-${query.code ?? 'national'}-${query.from}-${query.to}.csv"`,
      );
      return indicatorsCsv(rows);
    }
    return { rows };
  }
}

@ApiTags('admin')
@ApiAuthenticated()
@Controller('admin/projections')
export class ProjectionsAdminController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly managers: ProcessManagers,
  ) {}

  @Get()
  @Allow(['admin'])
  @ApiOkResponse({
    description: 'Each projection and process manager: state, position, lag in events and seconds, last event, rebuild progress, failure',
  })
  async status(): Promise<{ projections: ProjectionReport[]; processManagers: ReturnType<ProcessManagers['statuses']> }> {
    return { projections: await this.readModels.report(), processManagers: this.managers.statuses() };
  }

  @Post(':name/rebuild')
  @Allow(['admin'])
  @HttpCode(202)
  @ApiOkResponse({
    description: 'A new generation is built beside the live one; queries keep answering from the live one until the switch',
  })
  @ApiProblems(404)
  async rebuild(@Param('name') name: string): Promise<{ name: string; generation: number }> {
    return { name, generation: await this.readModels.rebuild(name) };
  }
}
